#!/usr/bin/env node
// Creates a library skeleton with the workspace's conventions: project.json with tags and lint/test targets,
// tsconfigs, a jest config on the shared preset, and an index.ts entry point.
// Usage: node tools/workspace/new-lib.js <dir> <name> <tags,comma,separated>
const fs = require('node:fs');
const path = require('node:path');

const [dir, name, tagList] = process.argv.slice(2);
if (!dir || !name || !tagList) {
  console.error('usage: new-lib.js <dir> <name> <tags>');
  process.exit(2);
}
const root = path.resolve(__dirname, '../..', dir);
const up = path.relative(root, path.resolve(__dirname, '../..')).split(path.sep).join('/');
const write = (file, content) => {
  const full = path.join(root, file);
  if (fs.existsSync(full)) return;
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, typeof content === 'string' ? content : JSON.stringify(content, null, 2) + '\n');
};
write('project.json', {
  name,
  $schema: `${up}/node_modules/nx/schemas/project-schema.json`,
  sourceRoot: `${dir}/src`,
  projectType: 'library',
  tags: tagList.split(','),
  targets: {
    lint: { executor: '@nx/eslint:lint' },
    test: {
      executor: '@nx/jest:jest',
      outputs: [],
      options: { jestConfig: `${dir}/jest.config.cts`, passWithNoTests: false },
    },
  },
});
write('tsconfig.json', {
  extends: `${up}/tsconfig.base.json`,
  files: [],
  include: [],
  references: [{ path: './tsconfig.lib.json' }, { path: './tsconfig.spec.json' }],
});
write('tsconfig.lib.json', {
  extends: './tsconfig.json',
  compilerOptions: { outDir: `${up}/dist/out-tsc`, types: ['node'] },
  include: ['src/**/*.ts'],
  exclude: ['src/**/*.spec.ts', 'src/**/*.test.ts'],
});
write('tsconfig.spec.json', {
  extends: './tsconfig.json',
  compilerOptions: { outDir: `${up}/dist/out-tsc`, types: ['jest', 'node'] },
  include: ['src/**/*.spec.ts', 'src/**/*.test.ts', 'src/**/*.d.ts'],
});
write(
  'jest.config.cts',
  `module.exports = {\n  displayName: '${name}',\n  preset: '${up}/jest.preset.js',\n  rootDir: '.',\n  moduleNameMapper: require('${up}/tools/workspace/jest-paths.js')(__dirname),\n};\n`,
);
write('src/index.ts', '');
console.log(`created ${dir} (${name})`);
