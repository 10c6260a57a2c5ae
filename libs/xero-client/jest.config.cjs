module.exports = { ...require('../../jest.preset.cjs'), displayName: 'xero-client', rootDir: __dirname };
