// Maps the tsconfig.base.json path aliases to absolute source paths for jest, whatever the project's depth.
const path = require('node:path');
const { compilerOptions } = require('../../tsconfig.base.json');

module.exports = function jestPaths() {
  const workspace = path.resolve(__dirname, '../..');
  const mapper = {};
  for (const [alias, [target]] of Object.entries(compilerOptions.paths)) {
    mapper[`^${alias.replace(/[/.]/g, (c) => '\\' + c)}$`] = path.join(workspace, target);
  }
  return mapper;
};
