#!/usr/bin/env node
// `npm start`: runs the whole system on embedded defaults. Fetches and verifies the models, builds the apps, starts
// the api (which serves the dashboard) and the terminal gateway, seeds a demo merchant with terminals and customers,
// keeps a slow simulator paying in the background, and prints where the dashboard is. Ctrl-C stops everything.
const { spawn, spawnSync } = require('node:child_process');
const { randomBytes } = require('node:crypto');
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

function startService(name, script, extraEnv, { critical = true, args = [] } = {}) {
  const child = spawn(process.execPath, ['--enable-source-maps', script, ...args], { cwd: root, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
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

/**
 * The demo's secrets and terminal keys, generated on first run and kept in the data dir (mode 0600, never in the event
 * store). Real deployments pass them in the environment instead, which always wins.
 */
function demoSecrets() {
  const file = path.join(env.DATA_DIR, 'demo-secrets.json');
  if (!fs.existsSync(file)) {
    const secret = () => randomBytes(32).toString('base64');
    const merchantId = '5e1f7a3c-0000-4000-8000-000000000001';
    const terminals = ['till-1', 'till-2', 'till-3'].map((terminalId) => ({ keyId: `${terminalId}-key`, terminalId, merchantId, secret: randomBytes(32).toString('base64url') }));
    const secrets = { BIOMETRIC_MASTER_KEY: secret(), PIN_PEPPER: secret(), INTERNAL_API_TOKEN: randomBytes(32).toString('base64url'), AUTH_TOKEN_SECRET: randomBytes(32).toString('base64url'), TERMINAL_KEYS: JSON.stringify(terminals) };
    fs.writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  const secrets = JSON.parse(fs.readFileSync(file, 'utf8'));
  for (const [name, value] of Object.entries(secrets)) if (!env[name]) env[name] = value;
  env.INTERNAL_API_KEY_ID = env.INTERNAL_API_KEY_ID || 'gateway';
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

  demoSecrets();
  const apps = ['api', 'terminal-gateway', 'dashboard', 'terminal-sim'].filter((app) => fs.existsSync(path.join(root, 'apps', app, 'project.json')) || fs.existsSync(path.join(root, 'tools', app, 'project.json')));
  runOrExit('npx', ['nx', 'run-many', '-t', 'build', '-p', apps.join(','), '--outputStyle=stream'], `build ${apps.join(', ')}`);

  step('start services');
  const dashboardDir = path.join(root, 'dist/apps/dashboard/browser');
  startService('api', 'dist/apps/api/main.js', { PORT: String(apiPort), HOST: host, DASHBOARD_DIR: dashboardDir });
  await waitForHealth('api', `http://${host}:${apiPort}/health/live`, 60_000);
  if (apps.includes('terminal-gateway')) {
    startService('terminal-gateway', 'dist/apps/terminal-gateway/main.js', { PORT: String(gatewayPort), HOST: host, API_URL: `http://${host}:${apiPort}` });
    await waitForHealth('terminal-gateway', `http://${host}:${gatewayPort}/health/live`, 60_000);
  }

  if (apps.includes('terminal-sim') && process.env.DEMO !== 'off') {
    step('seed a demo merchant, 3 terminals and customers from the sample photos; pay slowly in the background (DEMO=off skips)');
    startService('demo', 'dist/tools/terminal-sim/main.js', {}, {
      critical: false,
      args: ['demo', '--api', `http://${host}:${apiPort}`, '--gateway', `http://${host}:${gatewayPort}`, '--customers', process.env.DEMO_CUSTOMERS || '4', '--interval-ms', process.env.DEMO_INTERVAL_MS || '1500', '--no-progress'],
    });
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
