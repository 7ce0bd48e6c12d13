module.exports = {
  displayName: 'shared-observability',
  preset: '../../../jest.preset.js',
  rootDir: '.',
  moduleNameMapper: require('../../../tools/workspace/jest-paths.js')(__dirname),
};
