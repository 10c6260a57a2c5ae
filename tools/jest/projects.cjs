// Lists the Jest projects (by display name) for --selectProjects; `--except NAME...` leaves some out.
const path = require('node:path');
const { projects } = require('../../jest.config.cjs');
const except = process.argv.includes('--except') ? process.argv.slice(process.argv.indexOf('--except') + 1) : [];
const names = projects.map((file) => require(path.resolve(__dirname, '../..', file)).displayName);
process.stdout.write(names.filter((name) => !except.includes(name)).join(' '));
