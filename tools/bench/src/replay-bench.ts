/* eslint-disable no-console */
// Replay benchmark (`npx nx run bench:replay --events=1000000`): rebuilds the ledger read models from position 0 of a
// store holding N ledger events, and reports events/s and peak RSS. Generating the events is not timed.
// Node runs with its default heap settings: --max-semi-space-size=64 cut garbage-collection time but added about
// 140 MiB of RSS (508 MiB peak at 1,000,000 events), over the 400 MB target.
import { ledgerProjections, ledgerReadModelEntities, ledgerReadModelMigrations } from '@smilepay/ledger/infrastructure';
import { openSqliteEventStore, type EventMetadata, type NewEvent } from '@smilepay/shared/eventstore';
import { createReadModelDataSource, projectionEntities, projectionMigrations, rebuildProjection } from '@smilepay/shared/projections';
import { SingleBar } from 'cli-progress';
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fmt, machine, rssSampler, scratchDir, table } from './bench-kit';

const EVENTS = Number(process.argv[2]) || 1_000_000;
const WALLETS = 10_000;
/**
 * Events per rebuild page and transaction: the port's largest page. Fewer, larger transactions write each touched
 * read-model page once per batch instead of once per smaller batch. (The runner's live batches stay small.)
 */
const PAGE_SIZE = 10_000;
const metadata: EventMetadata = { correlationId: 'bench', causationId: 'bench', actor: 'system:bench', schemaVersion: 1 };
const timestamp = '2026-11-25T12:00:00.000Z';

function opened(id: string, kind: string, flags: string[]): NewEvent {
  return { type: 'LedgerAccountOpened', data: { accountId: id, kind, currency: 'EUR', ledger: 1, code: 1, flags, timestamp }, metadata };
}

function payment(debit: string, credit: string, amount: string): NewEvent {
  const id = randomUUID();
  const transfer = { id, debitAccountId: debit, creditAccountId: credit, amount, currency: 'EUR', ledger: 1, code: 2, kind: 'single', timeoutSeconds: 0, timestamp };
  return { type: 'LedgerTransfersRecorded', data: { batchId: id, fingerprint: id, transfers: [transfer] }, metadata };
}

/**
 * Writes a realistic ledger history with the store's batched append: accounts, one top-up per wallet, then payments
 * (each wallet pays the merchant 1.00 at a time, never more than it holds, so the flags hold throughout).
 */
async function generate(path: string): Promise<void> {
  const store = openSqliteEventStore(path);
  const external = randomUUID();
  const merchant = randomUUID();
  const wallets = Array.from({ length: WALLETS }, () => randomUUID());
  await store.append(`ledger_account-${external}`, [opened(external, 'external', [])], { expectedState: 'no_stream' });
  await store.append(`ledger_account-${merchant}`, [opened(merchant, 'merchant', [])], { expectedState: 'no_stream' });
  const revisions = new Map<string, bigint>();
  for (let i = 0; i < WALLETS; i += 1_000) {
    const slice = wallets.slice(i, i + 1_000);
    await store.appendMany(slice.map((w) => ({ streamId: `ledger_account-${w}`, events: [opened(w, 'customer_wallet', ['debits_must_not_exceed_credits']), payment(external, w, '100000000')], expectedState: 'no_stream' as const })));
    slice.forEach((w) => revisions.set(w, 1n));
  }
  const bar = new SingleBar({ format: 'generating  [{bar}] {percentage}% {value}/{total} events', hideCursor: true });
  let written = 2 + WALLETS * 2;
  bar.start(EVENTS, written);
  while (written < EVENTS) {
    const batch = Math.min(10_000, EVENTS - written);
    // One event per wallet per request, so a transaction touches up to `batch` different streams.
    const requests = Array.from({ length: batch }, (_, k) => {
      const wallet = wallets[(written + k) % WALLETS];
      const revision = revisions.get(wallet) ?? 0n;
      revisions.set(wallet, revision + 1n);
      return { streamId: `ledger_account-${wallet}`, events: [payment(wallet, merchant, '100')], expectedState: revision };
    });
    // appendMany takes each stream once per transaction at most, so split batches at wallet boundaries.
    for (let start = 0; start < requests.length; start += WALLETS) await store.appendMany(requests.slice(start, start + WALLETS));
    written += batch;
    bar.update(written);
  }
  bar.stop();
  await store.close();
}

async function main() {
  const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
  console.log(`replay benchmark on ${machine()} — ${new Date().toISOString()}; node flags: ${process.execArgv.filter((a) => a.startsWith('--')).join(' ')}`);
  const dir = scratchDir('replay');
  const eventsPath = join(dir, 'events.sqlite');
  await generate(eventsPath);
  const store = openSqliteEventStore(eventsPath);
  const head = await store.headPosition();
  const dataSource = createReadModelDataSource({
    sqlitePath: join(dir, 'read-models.sqlite'),
    entities: [...projectionEntities, ...ledgerReadModelEntities],
    migrations: [...projectionMigrations, ...ledgerReadModelMigrations],
  });
  await dataSource.migrate();
  const rows: Record<string, string>[] = [];
  // Generating the store is not timed; the load average is taken where the timed part starts.
  console.log(`load average at the start of the rebuilds ${load()}`);
  for (const projection of ledgerProjections) {
    global.gc?.();
    const bar = new SingleBar({ format: `${projection.name.padEnd(16)} [{bar}] {percentage}% {value}/{total} events`, hideCursor: true });
    bar.start(Number(head), 0);
    const rss = rssSampler();
    const cpu = process.cpuUsage();
    const started = performance.now();
    const result = await rebuildProjection(store, dataSource, projection, { pageSize: PAGE_SIZE, onProgress: (p) => bar.update(p.eventsRead) });
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const cpuSeconds = (used.user + used.system) / 1e6;
    const peak = rss.stop();
    bar.stop();
    rows.push({ projection: projection.name, events: fmt(result.eventsRead), seconds: fmt(seconds, 1), 'events/s': fmt(result.eventsRead / seconds), 'CPU s': fmt(cpuSeconds, 1), 'events per CPU-second': fmt(result.eventsRead / cpuSeconds), 'peak RSS MiB': fmt(peak) });
  }
  console.log('\n' + table(rows));
  console.log(`load average at end ${load()}`);
  await dataSource.destroy();
  await store.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
