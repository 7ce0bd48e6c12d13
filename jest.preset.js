// Shared jest settings. SWC compiles TypeScript with decorator metadata
// so Nest DI works in tests. Path aliases are mapped per project by tools/workspace/jest-paths.js.
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.[tj]s$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
          keepClassNames: true,
        },
        module: { type: 'commonjs' },
        sourceMaps: 'inline',
      },
    ],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['**/?(*.)+(spec|test).ts'],
  coverageReporters: ['text-summary'],
};
module.exports.reporters = ['default', require.resolve('./tools/test/summary-reporter.js')];
