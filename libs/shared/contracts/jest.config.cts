module.exports = {
  displayName: 'shared-contracts',
  preset: '../../../jest.preset.js',
  rootDir: '.',
  moduleNameMapper: require('../../../tools/workspace/jest-paths.js')(__dirname),
};
