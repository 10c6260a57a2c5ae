module.exports = { ...require('../../jest.preset.cjs'), displayName: 'xero-sandbox', rootDir: __dirname };
