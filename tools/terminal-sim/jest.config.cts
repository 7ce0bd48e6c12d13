module.exports = {
  displayName: 'terminal-sim',
  preset: '../../jest.preset.js',
  rootDir: '.',
  moduleNameMapper: require('../../tools/workspace/jest-paths.js')(__dirname),
};
