module.exports = {
  displayName: 'biometrics-infrastructure',
  preset: '../../../jest.preset.js',
  rootDir: '.',
  // Host typed-array constructors for onnxruntime-node and full-speed globals (see the file's header).
  testEnvironment: '<rootDir>/../../../tools/test/onnx-test-environment.cjs',
  // Fetches and verifies the models and images once per run (fast when the cache is already valid).
  globalSetup: '<rootDir>/src/testing/global-setup.js',
  moduleNameMapper: require('../../../tools/workspace/jest-paths.js')(__dirname),
  // Real models on 2 shared cores: one worker keeps the suite predictable and leaves a core for others.
  maxWorkers: 1,
  testTimeout: 60000,
};
