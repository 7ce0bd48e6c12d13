import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Presets, SingleBar } from 'cli-progress';
import { defaultImageDir, FacePipeline, loadModels, allSpecies, buildPresentations, findCustomers, Presentation, Species } from '@smilepay/biometrics/infrastructure';
import { startApiStub } from './lib/api-stub';
import { runBench } from './lib/bench';
import { spawnGateway } from './lib/gateway-process';
import { formatTable, summarise } from './lib/report';
import { runLoad } from './lib/run-load';
import { formatLoadTable, runLoadSteps, type LoadStep } from './lib/load-test';
import { formatProfile, summariseProfiles } from './lib/cpu-profile';
import { startBuilt } from './lib/processes';
import { generateKeys, parseKeys, TerminalKey } from './lib/signing';
import { demoSpeciesMix, enrollThroughGateway, onboard, pay, type DemoCustomer, type PaymentAttempt } from './lib/demo';
import { SmilepayApi } from './lib/smilepay-api';
import { SimTerminal } from './lib/terminal';

const usage = `terminal-sim: simulated smilepay terminals (real face photos, SYNTHETIC depth, smile and attacks)

  terminal-sim run   [--gateway URL | --spawn-gateway dist/apps/terminal-gateway/main.js] [--keys FILE]
                     [--terminals 4] [--customers 6] [--species genuine,print,...] [--images DIR] [--fps 15]
                     [--window 2] [--amount 1250] [--phone 13800138000] [--seed 1] [--json FILE] [--strict] [--no-progress]
  terminal-sim demo  --api URL [--gateway URL] [--customers 4] [--interval-ms 2000] [--count 0] [--images DIR]
                     onboards a merchant, the terminals in TERMINAL_KEYS and customers from the photos on a real api,
                     enrolls each face through the gateway, then pays: mostly genuine, some impostors and attacks
                     (--count 0: until stopped; prints one line per attempt)
  terminal-sim bench [--gateway-main dist/apps/terminal-gateway/main.js] [--terminals 4] [--duration-s 30]
                     [--customers 6] [--intra-op-threads 1] [--analyses-in-flight 2] [--analysis-workers 2]
                     [--write-doc docs/PERFORMANCE.md] [--profile DIR]
                     --profile runs the gateway under node --cpu-prof and prints where its CPU went
  terminal-sim load  [--api-main dist/apps/api/main.js] [--gateway-main ...] [--terminals 8] [--customers 4]
                     [--dashboards 10] [--rates 0.5,1,2,3,4,6] [--step-s 30] [--p95-ms 150] [--profile DIR]
                     [--write-doc docs/PERFORMANCE.md]
                     starts the built api and gateway on a fresh data dir, enrolls the customers, then offers genuine
                     payments at each rate (open loop) with dashboards connected, until a rate is not sustained;
                     --profile runs both under node --cpu-prof and prints where the CPU went

Keys: --keys FILE or TERMINAL_KEYS (the gateway's JSON format). Species: ${allSpecies.join(', ')}.
--strict exits 1 when any attack was accepted or any genuine customer rejected.`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    gateway: { type: 'string', default: process.env['GATEWAY_URL'] ?? 'http://127.0.0.1:3100' },
    'spawn-gateway': { type: 'string' },
    'gateway-main': { type: 'string', default: 'dist/apps/terminal-gateway/main.js' },
    keys: { type: 'string' },
    terminals: { type: 'string', default: '4' },
    customers: { type: 'string', default: '6' },
    species: { type: 'string', default: allSpecies.join(',') },
    images: { type: 'string' },
    fps: { type: 'string', default: '15' },
    window: { type: 'string', default: '2' },
    amount: { type: 'string', default: '1250' },
    phone: { type: 'string', default: '13800138000' },
    seed: { type: 'string', default: '1' },
    json: { type: 'string' },
    strict: { type: 'boolean', default: false },
    'no-progress': { type: 'boolean', default: false },
    'duration-s': { type: 'string', default: '30' },
    'intra-op-threads': { type: 'string', default: '1' },
    'analyses-in-flight': { type: 'string', default: '2' },
    'analysis-workers': { type: 'string', default: '2' },
    'write-doc': { type: 'string' },
    api: { type: 'string', default: process.env['API_URL'] ?? 'http://127.0.0.1:3000' },
    'interval-ms': { type: 'string', default: '2000' },
    count: { type: 'string', default: '0' },
    'api-main': { type: 'string', default: 'dist/apps/api/main.js' },
    dashboards: { type: 'string', default: '10' },
    rates: { type: 'string', default: '0.5,1,2,3,4,6' },
    'step-s': { type: 'string', default: '30' },
    'p95-ms': { type: 'string', default: '150' },
    profile: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

function int(name: keyof typeof values, min: number, max: number): number {
  const value = Number(values[name]);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`--${name} must be an integer in [${min}, ${max}]`);
  return value;
}

async function preparePresentations(species: readonly Species[]): Promise<Presentation[]> {
  const models = await loadModels({ intraOpThreads: 1 });
  try {
    const pipeline = new FacePipeline(models);
    const imageDir = resolve(values.images ?? defaultImageDir());
    const customers = await findCustomers(pipeline, imageDir, int('customers', 1, 500));
    if (customers.length === 0) throw new Error(`no usable single frontal face found in ${imageDir}; run \`node tools/models/fetch-models.js\``);
    console.log(`customers: ${customers.length} faces from ${imageDir}; building ${customers.length * species.length} presentations (synthetic depth, smile and attacks)`);
    const bar = values['no-progress'] ? null : new SingleBar({ format: 'presentations {bar} {value}/{total}', hideCursor: true }, Presets.shades_classic);
    bar?.start(customers.length * species.length, 0);
    const presentations = await buildPresentations(customers, species, int('seed', 0, 1_000_000), () => bar?.increment());
    bar?.stop();
    return presentations;
  } finally {
    await models.release();
  }
}

function keysFromOptions(): TerminalKey[] {
  if (values.keys) return parseKeys(readFileSync(values.keys, 'utf8'));
  if (process.env['TERMINAL_KEYS']) return parseKeys(process.env['TERMINAL_KEYS']);
  throw new Error('terminal keys needed: --keys FILE or TERMINAL_KEYS (or --spawn-gateway to start a gateway with generated keys)');
}

async function run(): Promise<number> {
  const species = (values.species ?? '').split(',').map((s) => s.trim()) as Species[];
  const unknown = species.filter((s) => !allSpecies.includes(s));
  if (unknown.length > 0) throw new Error(`unknown species: ${unknown.join(', ')}`);
  const presentations = await preparePresentations(species);
  const terminals = int('terminals', 1, 1000);
  let keys: TerminalKey[];
  let gatewayUrl = values.gateway as string;
  let cleanup = async () => undefined as void;
  if (values['spawn-gateway']) {
    keys = generateKeys(terminals);
    const api = await startApiStub();
    const gateway = await spawnGateway(values['spawn-gateway'], keys, api.url, {});
    gatewayUrl = gateway.url;
    cleanup = async () => {
      await gateway.stop();
      await api.close();
    };
  } else {
    keys = keysFromOptions();
  }
  try {
    const records = await runLoad(presentations, {
      gatewayUrl,
      keys,
      terminals,
      amountMinor: values.amount as string,
      phoneDigits: values.phone as string,
      fps: int('fps', 1, 240),
      window: int('window', 1, 64),
      timeoutMs: 30_000,
      progress: !values['no-progress'],
      durationMs: 0,
    });
    const rows = summarise(records);
    console.log(`\n${formatTable(rows)}\n\nAPCER/BPCER on SYNTHETIC attacks and synthetic depth/smile over real photos: a plumbing check, not a certification figure.`);
    if (values.json) writeFileSync(values.json, JSON.stringify({ rows, records }, null, 2));
    const failed = rows.some((r) => (r.apcer ?? 0) > 0 || (r.bpcer ?? 0) > 0);
    return values.strict && failed ? 1 : 0;
  } finally {
    await cleanup();
  }
}

async function bench(): Promise<number> {
  const presentations = await preparePresentations(['genuine']);
  const report = await runBench(presentations, {
    gatewayMain: resolve(values['gateway-main'] as string),
    terminals: int('terminals', 1, 256),
    durationMs: int('duration-s', 5, 3600) * 1000,
    intraOpThreads: int('intra-op-threads', 1, 16),
    analysesInFlight: int('analyses-in-flight', 1, 64),
    analysisWorkers: int('analysis-workers', 0, 64),
    docPath: values['write-doc'] ? resolve(values['write-doc']) : null,
    command: `node dist/tools/terminal-sim/main.js ${process.argv.slice(2).join(' ')}`,
    profileDir: values.profile ? resolve(values.profile) : null,
  });
  console.log(`\n${report}`);
  return 0;
}

async function demo(): Promise<number> {
  const keys = keysFromOptions();
  const species = [...new Set(demoSpeciesMix)];
  const presentations = await preparePresentations(species);
  const faceIds = [...new Set(presentations.map((p) => p.customerId))];
  const genuine = new Map(presentations.filter((p) => p.species === 'genuine').map((p) => [p.customerId, p]));
  const api = await SmilepayApi.login(values.api as string, process.env['DEMO_ADMIN_USER'] ?? 'admin', process.env['DEMO_ADMIN_PASSWORD'] ?? 'admin');
  const customers = await onboard(api, keys, faceIds);
  for (const customer of customers) {
    const reply = await enrollThroughGateway(values.gateway as string, keys[0], customer, genuine.get(customer.faceId) as Presentation);
    console.log(`enrolled ${customer.faceId} as ${customer.customerId} (${customer.phone}): ${reply.outcome}${reply.pinRequired ? ', PIN required' : ''}`);
  }
  const terminals = await Promise.all(keys.map((key) => SimTerminal.connect(values.gateway as string, key)));
  const count = int('count', 0, 1_000_000);
  const intervalMs = int('interval-ms', 0, 3_600_000);
  let stop = false;
  process.once('SIGTERM', () => (stop = true));
  process.once('SIGINT', () => (stop = true));
  for (let n = 0; !stop && (count === 0 || n < count); n++) {
    const terminal = terminals[n % terminals.length];
    const amount = String(150 + ((n * 397) % 4850));
    const customer = customers[n % customers.length];
    if (n % 9 === 4) {
      // Some customers prefer the keypad: phone + PIN, no camera.
      await payWithPinAndLog(terminal, customer.phone, customer.pin, `phone + PIN ${customer.faceId}`, `demo-${Date.now()}-${n}`, amount);
    } else {
      const attempt = pickAttempt(n, customers, presentations);
      const record = await pay(terminal, attempt, `demo-${Date.now()}-${n}`, amount, { fps: int('fps', 1, 240), window: int('window', 1, 64), timeoutMs: 30_000 });
      console.log(`${new Date().toISOString()} ${terminal.key.terminalId} ${attempt.label.padEnd(28)} ${amount.padStart(5)} → ${record.outcome}${record.code ? ` (${record.code})` : ''}`);
      // The terminal offers phone + PIN after a declined face; an impostor does not know the victim's PIN.
      if (record.fallback === 'phone_pin' && attempt.label.startsWith('impostor')) {
        await payWithPinAndLog(terminal, attempt.phone, '000000', `  ↳ phone + PIN fallback (wrong PIN)`, `demo-${Date.now()}-${n}-pin`, amount);
      }
    }
    if (intervalMs > 0) await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  terminals.forEach((t) => t.close());
  return 0;
}

async function payWithPinAndLog(terminal: SimTerminal, phone: string, pin: string, label: string, idempotencyKey: string, amount: string): Promise<void> {
  const result = await terminal.payWithPin(phone, pin, idempotencyKey, amount, 30_000);
  const outcome = 'outcome' in result ? `${result.outcome}${result.code ? ` (${result.code})` : ''}` : `refused (${result.code})`;
  console.log(`${new Date().toISOString()} ${terminal.key.terminalId} ${label.padEnd(28)} ${amount.padStart(5)} → ${outcome}`);
}

async function load(): Promise<number> {
  const rates = String(values.rates).split(',').map(Number);
  if (rates.some((r) => !(r > 0 && r <= 1000))) throw new Error('--rates must be positive payments/s, comma-separated');
  const presentations = await preparePresentations(['genuine']);
  const keys = generateKeys(int('terminals', 1, 256));
  const dataDir = mkdtempSync(join(tmpdir(), 'smilepay-load-'));
  const profileDir = values.profile ? resolve(values.profile) : null;
  const profiled = (name: string) => {
    if (!profileDir) return [];
    mkdirSync(join(profileDir, name), { recursive: true });
    return ['--cpu-prof', '--cpu-prof-dir', join(profileDir, name)];
  };
  const internalToken = randomBytes(32).toString('base64url');
  const loadBefore = loadavg()[0];
  const api = await startBuilt(values['api-main'] as string, 'api', { DATA_DIR: dataDir, BIOMETRIC_MASTER_KEY: randomBytes(32).toString('base64'), PIN_PEPPER: randomBytes(32).toString('base64'), INTERNAL_API_TOKEN: internalToken, INTERNAL_API_KEY_ID: 'gateway', LOG_LEVEL: 'warn' }, profiled('api'));
  const gateway = await startBuilt(values['gateway-main'] as string, 'terminal-gateway', { TERMINAL_KEYS: JSON.stringify(keys), API_URL: api.url, INTERNAL_API_TOKEN: internalToken, INTERNAL_API_KEY_ID: 'gateway', LOG_LEVEL: 'warn' }, profiled('gateway'));
  let steps: LoadStep[] = [];
  try {
    const admin = await SmilepayApi.login(api.url, 'admin', 'admin');
    const genuine = new Map(presentations.map((p) => [p.customerId, p]));
    const customers = await onboard(admin, keys, [...genuine.keys()]);
    for (const customer of customers) await enrollThroughGateway(gateway.url, keys[0], customer, genuine.get(customer.faceId) as Presentation);
    const analyst = await SmilepayApi.login(api.url, 'analyst', 'analyst');
    const stepSeconds = int('step-s', 5, 3600);
    const bar = values['no-progress'] ? null : new SingleBar({ format: 'load {bar} {value}/{total} steps | {rate} payments/s offered', hideCursor: true }, Presets.shades_classic);
    bar?.start(rates.length, 0, { rate: rates[0] });
    steps = await runLoadSteps({
      gatewayUrl: gateway.url, apiUrl: api.url, analystToken: analyst.token, keys, customers, presentations: genuine,
      dashboards: int('dashboards', 0, 1000), fps: int('fps', 1, 240), stepSeconds, rates, p95TargetMs: int('p95-ms', 1, 60_000),
      onStep: (step) => bar?.increment(1, { rate: rates[rates.indexOf(step.offeredPerS) + 1] ?? step.offeredPerS }),
    });
    bar?.stop();
  } finally {
    await gateway.stop();
    await api.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const best = steps.filter((s) => s.sustained).at(-1);
  const lines = [
    `Command: \`node dist/tools/terminal-sim/main.js load ${process.argv.slice(3).join(' ')}\``,
    `Date: ${new Date().toISOString()}; machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}; 1-min load average ${loadBefore.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after`,
    `Data: real photos (${presentations.length} customers) with SYNTHETIC depth and smile, genuine presentations only, ${keys.length} terminals at ${values.fps} fps, ${values.dashboards} analyst dashboards on the live channel; built api and gateway on a fresh embedded store${profileDir ? ', both under node --cpu-prof' : ''}.`,
    '',
    formatLoadTable(steps, int('p95-ms', 1, 60_000)),
    '',
    best ? `Highest sustained rate: **${best.offeredPerS} payments/s** (p95 decision ${Math.round(best.decisionP95Ms ?? 0)} ms).` : 'No offered rate was sustained.',
  ];
  if (profileDir) {
    for (const name of ['gateway', 'api']) {
      if (existsSync(join(profileDir, name))) lines.push('', formatProfile(`CPU profile, ${name}`, summariseProfiles(join(profileDir, name))));
    }
  }
  const report = lines.join('\n');
  console.log(`\n${report}`);
  if (values['write-doc']) writeDocSection(values['write-doc'], 'load-test', report);
  return 0;
}

/** Replaces the marked section of a markdown file (or appends it), so reruns update the figures in place. */
function writeDocSection(file: string, marker: string, body: string): void {
  const open = `<!-- ${marker} -->`;
  const close = `<!-- /${marker} -->`;
  const doc = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const block = `${open}\n${body}\n${close}`;
  const start = doc.indexOf(open);
  const end = doc.indexOf(close);
  writeFileSync(file, start >= 0 && end > start ? doc.slice(0, start) + block + doc.slice(end + close.length) : `${doc.trimEnd()}\n\n${block}\n`);
}

/** Mostly genuine customers paying; every 7th an impostor with a victim's phone; attacks in between, all labelled. */
function pickAttempt(n: number, customers: DemoCustomer[], presentations: Presentation[]): PaymentAttempt {
  const customer = customers[n % customers.length];
  const other = customers[(n + 1) % customers.length];
  const species = demoSpeciesMix[n % demoSpeciesMix.length];
  const find = (faceId: string, s: Species) => presentations.find((p) => p.customerId === faceId && p.species === s) as Presentation;
  if (n % 7 === 6 && customers.length > 1) return { presentation: find(other.faceId, 'genuine'), phone: customer.phone, label: `impostor for ${customer.faceId}` };
  return { presentation: find(customer.faceId, species), phone: customer.phone, label: species === 'genuine' ? `genuine ${customer.faceId}` : `${species} (synthetic) of ${customer.faceId}` };
}

async function main(): Promise<number> {
  const command = positionals[0] ?? 'run';
  if (values.help || !['run', 'bench', 'demo', 'load'].includes(command)) {
    console.log(usage);
    return values.help ? 0 : 2;
  }
  if (command === 'demo') return demo();
  if (command === 'load') return load();
  return command === 'bench' ? bench() : run();
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`terminal-sim: ${error.message}`);
    process.exit(1);
  },
);
