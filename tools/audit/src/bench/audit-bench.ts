/* Audit benchmark: `npx nx run audit-cli:bench` (options: --events <n>, --dir <d>, --write-doc <file>). */
import '../register-paths';
import { execFileSync, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { auditCheckpointStreamId } from '@smilepay/audit/domain';
import { openSqliteEventStore } from '@smilepay/shared/eventstore';
import { generateLedger } from './generate-ledger';
import { type PhaseResult, runPhase } from './phases';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    dir: { type: 'string' },
    phase: { type: 'string' },
    keep: { type: 'boolean' },
    'write-doc': { type: 'string' },
  },
});
const events = Number(values.events);

/** Each measured phase runs in a fresh child process, so its peak RSS is its own, not the generator's. */
function child(phase: string, dir: string): PhaseResult {
  const result = spawnSync(process.execPath, [...process.execArgv, '--expose-gc', __filename, '--phase', phase, '--dir', dir, '--events', String(events)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    env: process.env,
    maxBuffer: 16 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`phase ${phase} failed with exit code ${result.status}`);
  return JSON.parse(result.stdout.trim().split('\n').pop() as string) as PhaseResult;
}

async function alreadySealed(file: string): Promise<boolean> {
  const store = openSqliteEventStore(file);
  try {
    return (await store.readStream(auditCheckpointStreamId(), { maxCount: 1 })).length > 0;
  } finally {
    await store.close();
  }
}

function machine(): string {
  const cpu = readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)?.[1] ?? cpus()[0]?.model ?? 'unknown';
  const nproc = execFileSync('nproc', { encoding: 'utf8' }).trim();
  return `nproc ${nproc}, ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, ${process.platform}`;
}

async function orchestrate(): Promise<void> {
  const dir = values.dir ?? mkdtempSync(join(tmpdir(), 'smilepay-audit-bench-'));
  const file = join(dir, 'events.sqlite');
  const load = [loadavg()[0]];
  if (!existsSync(file)) {
    const started = Date.now();
    await generateLedger(file, events, 10_000, (n) => process.stderr.write(`\rgenerating ${n}/${events}`));
    process.stderr.write(`\rgenerated ${events} events in ${((Date.now() - started) / 1000).toFixed(1)} s (not timed below)\n`);
  }
  const sealed = await alreadySealed(file);
  if (sealed) throw new Error(`${file} already has audit checkpoints: the seal figure needs an unsealed store (use a fresh --dir)`);
  const results: PhaseResult[] = [];
  for (const phase of ['export', 'scan', 'replay', 'balance', 'seal', 'verify']) {
    process.stderr.write(`${phase}…\n`);
    const result = child(phase, dir);
    process.stderr.write(`  ${JSON.stringify(result)}\n`);
    results.push(result);
  }
  load.push(loadavg()[0]);
  const section = report(results, dir, statSync(file).size, load);
  process.stdout.write(`${section}\n`);
  if (values['write-doc']) writeSection(values['write-doc'], section);
  if (!values.keep && values.dir === undefined) rmSync(dir, { recursive: true, force: true });
}

function report(results: PhaseResult[], dir: string, bytes: number, load: number[]): string {
  const by = (phase: string) => results.find((r) => r.phase === phase) as PhaseResult;
  const rate = (r: PhaseResult) => Math.round(r.events / r.seconds).toLocaleString('en-US');
  const mib = (n: number) => `${Math.round(n)} MiB`;
  const flat = (r: PhaseResult) => `${r.rssMiB.map((v) => Math.round(v)).join(' → ')} (heap ${r.heapMiB.map((v) => Math.round(v)).join(' → ')})`;
  const [seal, verify] = [by('seal'), by('verify')];
  const per10k = (r: PhaseResult) => `${((r.seconds / r.events) * 10_000 * 1000).toFixed(0)} ms`;
  const rows = [
    ['export $all → NDJSON file', `${by('export').seconds.toFixed(1)} s`, `${rate(by('export'))} events/s`, mib(by('export').peakRssMiB), flat(by('export')), by('export').note ?? ''],
    ['read $all (scan, no fold)', `${by('scan').seconds.toFixed(1)} s`, `${rate(by('scan'))} events/s`, mib(by('scan').peakRssMiB), flat(by('scan')), ''],
    ['replay: ledger invariants fold', `${by('replay').seconds.toFixed(1)} s`, `${rate(by('replay'))} events/s`, mib(by('replay').peakRssMiB), flat(by('replay')), by('replay').note ?? ''],
    ['replay: point-in-time balance', `${by('balance').seconds.toFixed(1)} s`, `${rate(by('balance'))} events/s`, mib(by('balance').peakRssMiB), flat(by('balance')), ''],
    ['seal (checkpoint every 10,000)', `${seal.seconds.toFixed(1)} s`, `${per10k(seal)} per 10,000 events`, mib(seal.peakRssMiB), flat(seal), seal.note ?? ''],
    ['verify (chains, signatures, roots, consistency, stored bytes)', `${verify.seconds.toFixed(1)} s`, `${per10k(verify)} per 10,000 events`, mib(verify.peakRssMiB), flat(verify), verify.note ?? ''],
  ];
  return [
    '## Audit',
    '',
    'Measured by `npx nx run audit-cli:bench` (tools/audit/src/bench/audit-bench.ts). Each phase runs in its own child',
    'process over the same store, so "peak RSS" is that phase\'s own `maxRSS`. The next column samples RSS at 25/50/75/100 %',
    'of the phase and, in brackets, the live JS heap after a forced GC at the same points: what the work actually retains',
    '(flat memory shows as a flat row). Generating the events (batched appends) is not timed.',
    '',
    `Command: \`npx nx run audit-cli:bench -- --events ${events}\``,
    `Date: ${new Date().toISOString()}`,
    `Machine: ${machine()}; 1-min load average ${load.map((l) => l.toFixed(1)).join(' before, ')} after (other work shares this machine)`,
    `Data: ${events.toLocaleString('en-US')} ledger events (10,000 wallets; per payment a TransferIdClaimed in its own stream and the batch in the wallet's stream, so ~${Math.round(events / 2 / 1000)}k streams), embedded SQLite store of ${Math.round(bytes / 2 ** 20)} MiB in ${dir.startsWith(tmpdir()) ? 'the temp directory' : dir}.`,
    '',
    '| work | time | throughput | peak RSS | RSS (live heap) during, MiB | notes |',
    '|---|---|---|---|---|---|',
    ...rows.map((row) => `| ${row.join(' | ')} |`),
    '',
    `Targets: replay ≥ 50,000 events/s with flat memory; verify 1,000,000 events in < 60 s on 2 cores. Verify time split: ${verify.split ?? 'n/a'}.`,
    '',
    'Reading the figures: export, scan and the replays keep one page of events in memory, so their live heap stays flat;',
    'their RSS includes about 210 MiB taken before the first event is read (Node, ts-node, the loaded libraries). Verify holds by design',
    "each stream's last revision and hash (about 230 bytes per stream) and 32 bytes per event for the consistency proofs,",
    'so its heap grows with the store. Its byte-level re-hash of the embedded store runs on a worker thread (the second',
    'core) beside the $all walk, so "stored bytes" in the split is only the wait after the walk. Seal re-hashes every',
    'event from its content before signing it.',
  ].join('\n');
}

/** Replaces (or appends) the "## Audit" section and leaves every other section as it is. */
function writeSection(path: string, section: string): void {
  const doc = existsSync(path) ? readFileSync(path, 'utf8') : '# smilepay performance\n';
  const start = doc.search(/^## Audit\s*$/m);
  if (start < 0) {
    writeFileSync(path, `${doc.trimEnd()}\n\n${section}\n`);
    return;
  }
  const rest = doc.slice(start + 1);
  const next = rest.search(/^## /m);
  const end = next < 0 ? doc.length : start + 1 + next;
  writeFileSync(path, `${doc.slice(0, start)}${section}\n${next < 0 ? '' : `\n${doc.slice(end)}`}`);
}

async function main(): Promise<void> {
  if (values.phase === undefined) return orchestrate();
  const result = await runPhase(values.phase, values.dir as string, events);
  const out = createWriteStream('', { fd: 1 });
  out.end(`${JSON.stringify(result)}\n`);
  await finished(out);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
