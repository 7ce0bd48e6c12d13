#!/usr/bin/env node
// `npm test`: makes sure the face models are in the local cache (verified by SHA-256), then runs lint and every
// project's tests through Nx, and ends with one line of totals across all projects.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '../..');
const summaryDir = path.join(root, 'tmp/test-summary');

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, SMILEPAY_TEST_SUMMARY_DIR: summaryDir } });
  return result.status ?? 1;
}

const fetchModels = path.join(root, 'tools/models/fetch-models.js');
if (fs.existsSync(fetchModels) && run(process.execPath, [fetchModels]) !== 0) {
  console.error('model set-up failed: see the message above');
  process.exit(1);
}

fs.rmSync(summaryDir, { recursive: true, force: true });
const extra = process.argv.slice(2);
const status = run('npx', ['nx', 'run-many', '-t', 'lint', 'test', '--outputStyle=stream', '--parallel=2', ...extra]);

const totals = { passed: 0, failed: 0, skipped: 0 };
if (fs.existsSync(summaryDir)) {
  for (const file of fs.readdirSync(summaryDir)) {
    const summary = JSON.parse(fs.readFileSync(path.join(summaryDir, file), 'utf8'));
    for (const key of Object.keys(totals)) totals[key] += summary[key];
  }
}
console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(status === 0 && totals.failed === 0 ? 0 : 1);
