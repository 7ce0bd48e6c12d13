module.exports = {
  displayName: 'shared-projections',
  preset: '../../../jest.preset.js',
  rootDir: '.',
  moduleNameMapper: require('../../../tools/workspace/jest-paths.js')(__dirname),
};
