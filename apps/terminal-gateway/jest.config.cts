module.exports = {
  displayName: 'terminal-gateway',
  preset: '../../jest.preset.js',
  rootDir: '.',
  testEnvironment: '<rootDir>/../../tools/test/onnx-test-environment.cjs',
  moduleNameMapper: require('../../tools/workspace/jest-paths.js')(__dirname),
  // Integration tests load the real face models and open real sockets; one file at a time keeps the two cores for
  // the models instead of for competing workers.
  maxWorkers: 1,
  testTimeout: 60_000,
};
