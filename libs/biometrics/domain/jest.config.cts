module.exports = {
  displayName: 'biometrics-domain',
  preset: '../../../jest.preset.js',
  rootDir: '.',
  moduleNameMapper: require('../../../tools/workspace/jest-paths.js')(__dirname),
};
