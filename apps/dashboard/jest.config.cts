// Angular components need the Angular compiler, so this project uses jest-preset-angular instead of the
// workspace's SWC preset; the path aliases and the workspace summary reporter are the same.
const { createCjsPreset } = require('jest-preset-angular/presets');

module.exports = {
  displayName: 'dashboard',
  ...createCjsPreset({ tsconfig: '<rootDir>/tsconfig.spec.json' }),
  rootDir: '.',
  setupFilesAfterEnv: ['<rootDir>/src/test-setup.ts'],
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  moduleNameMapper: require('../../tools/workspace/jest-paths.js')(__dirname),
  reporters: ['default', require.resolve('../../tools/test/summary-reporter.js')],
};
