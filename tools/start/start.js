#!/usr/bin/env node
// `npm start`: runs the whole system on embedded defaults. Fetches and verifies the models, builds the apps, starts
// the api (which serves the dashboard) and the terminal gateway, seeds a demo merchant with terminals and customers,
// keeps a slow simulator paying in the background, and prints where the dashboard is. Ctrl-C stops everything.
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '../..');
const env = {
  ...process.env,
  NX_DAEMON: 'false',
  DATA_DIR: process.env.DATA_DIR || path.join(root, 'data'),
  SMILEPAY_MODEL_DIR: process.env.SMILEPAY_MODEL_DIR || path.join(root, '.cache/models'),
};
const apiPort = Number(process.env.PORT || 3000);
const gatewayPort = Number(process.env.GATEWAY_PORT || 3100);
const host = process.env.HOST || '127.0.0.1';
const children = [];

function step(title) {
  process.stdout.write(`\n▶ ${title}\n`);
}

function runOrExit(command, args, title) {
  step(title);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env });
  if (result.status !== 0) {
    console.error(`✖ ${title} failed (exit ${result.status}); nothing was started.`);
    process.exit(result.status || 1);
  }
}

function startService(name, script, extraEnv, { critical = true } = {}) {
  const child = spawn(process.execPath, ['--enable-source-maps', script], { cwd: root, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = fs.createWriteStream(path.join(env.DATA_DIR, `${name}.log`), { flags: 'a' });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  child.stderr.on('data', (chunk) => process.stderr.write(`[${name}] ${chunk}`));
  child.on('exit', (code, signal) => {
    if (shuttingDown) return;
    if (!critical) {
      if (code !== 0) console.error(`${name} stopped (${signal || code}); the system keeps running. See ${path.join(env.DATA_DIR, name + '.log')}`);
      return;
    }
    {
      console.error(`✖ ${name} exited (${signal || code}); see ${path.join(env.DATA_DIR, name + '.log')}`);
      shutdown(1);
    }
  });
  children.push(child);
  return child;
}

async function waitForHealth(name, url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${name} did not become healthy at ${url} within ${timeoutMs / 1000} s`);
}

let shuttingDown = false;
function shutdown(code) {
  shuttingDown = true;
  for (const child of children) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 500).unref();
}
process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));

async function main() {
  fs.mkdirSync(env.DATA_DIR, { recursive: true });
  const fetchModels = path.join(root, 'tools/models/fetch-models.js');
  if (fs.existsSync(fetchModels)) runOrExit(process.execPath, [fetchModels], 'face models (fetched once, verified by SHA-256)');

  const apps = ['api', 'terminal-gateway', 'dashboard'].filter((app) => fs.existsSync(path.join(root, 'apps', app, 'project.json')));
  runOrExit('npx', ['nx', 'run-many', '-t', 'build', '-p', apps.join(','), '--outputStyle=stream'], `build ${apps.join(', ')}`);

  step('start services');
  const dashboardDir = path.join(root, 'dist/apps/dashboard/browser');
  startService('api', 'dist/apps/api/main.js', { PORT: String(apiPort), HOST: host, DASHBOARD_DIR: dashboardDir });
  await waitForHealth('api', `http://${host}:${apiPort}/health/live`, 60_000);
  if (apps.includes('terminal-gateway')) {
    startService('terminal-gateway', 'dist/apps/terminal-gateway/main.js', { PORT: String(gatewayPort), HOST: host, API_URL: `http://${host}:${apiPort}` });
    await waitForHealth('terminal-gateway', `http://${host}:${gatewayPort}/health/live`, 60_000);
  }

  const seed = path.join(root, 'tools/start/seed-demo.js');
  if (fs.existsSync(seed)) {
    step('seed the demo merchant, terminals and customers; start the slow simulator');
    startService('demo', seed, { API_URL: `http://${host}:${apiPort}`, GATEWAY_URL: `http://${host}:${gatewayPort}` }, { critical: false });
  }

  console.log(`\n✔ smilepay is running
   dashboard:        http://${host}:${apiPort}/   (log in as analyst/analyst, auditor/auditor or admin/admin)
   api:              http://${host}:${apiPort}/v1   (OpenAPI at /docs)
   terminal gateway: http://${host}:${gatewayPort}
   data and logs:    ${env.DATA_DIR}
   Ctrl-C stops everything.`);
}

main().catch((error) => {
  console.error(`✖ ${error.message}`);
  shutdown(1);
});
