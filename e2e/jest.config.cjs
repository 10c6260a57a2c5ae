// End-to-end tests start every service as its own process against real Kafka, Postgres and the sandbox.
module.exports = { ...require('../jest.preset.cjs'), displayName: 'e2e', rootDir: __dirname };
