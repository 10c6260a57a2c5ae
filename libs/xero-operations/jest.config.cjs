module.exports = { ...require('../../jest.preset.cjs'), displayName: 'xero-operations', rootDir: __dirname };
