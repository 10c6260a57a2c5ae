module.exports = { ...require('../../jest.preset.cjs'), displayName: 'kafka-admin', rootDir: __dirname };
