module.exports = {
  displayName: 'drills',
  preset: '../../jest.preset.js',
  rootDir: '.',
  moduleNameMapper: require('../../tools/workspace/jest-paths.js')(__dirname),
};
