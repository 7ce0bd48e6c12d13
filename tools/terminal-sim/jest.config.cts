module.exports = {
  displayName: 'terminal-sim',
  preset: '../../jest.preset.js',
  rootDir: '.',
  // The end-to-end spec runs the face models in-process to build presentations.
  testEnvironment: '<rootDir>/../../tools/test/onnx-test-environment.cjs',
  moduleNameMapper: require('../../tools/workspace/jest-paths.js')(__dirname),
  maxWorkers: 1,
  testTimeout: 60_000,
};
