const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { join } = require('node:path');

// Nest needs decorator metadata for dependency injection, so the app is compiled by tsc (esbuild emits none).
module.exports = {
  output: { path: join(__dirname, '../../dist/apps/terminal-gateway') },
  plugins: [
    new NxAppWebpackPlugin({
      target: 'node',
      compiler: 'tsc',
      main: './src/main.ts',
      // The analysis thread is its own bundle, started with new Worker(<dist>/analysis-worker.js).
      additionalEntryPoints: [{ entryName: 'analysis-worker', entryPath: './src/app/checkout/analysis.worker.ts' }],
      tsConfig: './tsconfig.app.json',
      outputHashing: 'none',
      generatePackageJson: false,
      sourceMap: true,
    }),
  ],
};
