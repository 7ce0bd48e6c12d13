// The peer store (Emmett on sqlite3, which compiles from source) is only needed by benchmarks, so it lives in
// tools/bench/package.json and is installed the first time a benchmark runs.
const { existsSync } = require('node:fs');
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');

const dir = join(__dirname, '..');
if (!existsSync(join(dir, 'node_modules/@event-driven-io/emmett-sqlite'))) {
  console.log('installing the benchmark peer (emmett-sqlite + sqlite3) into tools/bench …');
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: dir, stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
