module.exports = { ...require('../../jest.preset.cjs'), displayName: 'console', rootDir: __dirname, testPathIgnorePatterns: ['/node_modules/', '<rootDir>/web/'] };
