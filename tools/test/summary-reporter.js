// Jest reporter that records each project's totals so tools/test/run-tests.js can print one closing line for the
// whole workspace ("N passed, N failed, N skipped"), which CI reads.
const fs = require('node:fs');
const path = require('node:path');

class SummaryReporter {
  constructor(globalConfig) {
    this.dir = process.env.SMILEPAY_TEST_SUMMARY_DIR || path.resolve(__dirname, '../../tmp/test-summary');
    this.name = globalConfig.rootDir.replace(/[^A-Za-z0-9]+/g, '_');
  }

  onRunComplete(_contexts, results) {
    fs.mkdirSync(this.dir, { recursive: true });
    const summary = {
      project: this.name,
      passed: results.numPassedTests,
      failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
      skipped: results.numPendingTests + results.numTodoTests,
    };
    fs.writeFileSync(path.join(this.dir, `${this.name}.json`), JSON.stringify(summary));
  }
}

module.exports = SummaryReporter;
