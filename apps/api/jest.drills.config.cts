// The api's slow drills (issue 7, section 4): run by `npx nx run drills:drill`, not by the unit suite.
module.exports = {
  displayName: 'api-drills',
  preset: '../../jest.preset.js',
  rootDir: '.',
  testMatch: ['<rootDir>/src/**/*.drill.ts'],
  moduleNameMapper: require('../../tools/workspace/jest-paths.js')(__dirname),
};
