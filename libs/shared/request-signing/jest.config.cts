module.exports = {
  displayName: 'shared-request-signing',
  preset: '../../../jest.preset.js',
  rootDir: '.',
  moduleNameMapper: require('../../../tools/workspace/jest-paths.js')(__dirname),
};
