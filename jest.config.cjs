// Every Jest project in the workspace, so one `jest` run covers them all.
const fs = require('node:fs');
const path = require('node:path');

const projectsUnder = (folder) =>
  fs
    .readdirSync(path.join(__dirname, folder))
    .map((name) => `${folder}/${name}/jest.config.cjs`)
    .filter((file) => fs.existsSync(path.join(__dirname, file)));

module.exports = {
  projects: [...projectsUnder('libs'), ...projectsUnder('apps'), 'e2e/jest.config.cjs'],
};
