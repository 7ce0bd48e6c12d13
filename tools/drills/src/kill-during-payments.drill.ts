import { openSqliteEventStore, type SqliteEventStore } from '@smilepay/shared/eventstore';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { DrillReport, drillEnvironment } from './drill-env';
import { ApiProcess, freePort, sleep } from './processes';
import { type DrillCustomer, type PaymentKind, type PaymentRecord, seededRandom, TerminalDriver, unitVector } from './terminal-driver';
import { checkPayments, ledgerFigures, openLiveReadModels, rebuildFigures, waitForProjections } from './verify';

export interface KillDrillOptions {
  payments: number;
  seed: number;
  /** Terminals paying at once. */
  concurrency: number;
  /** How many times the api is killed; each kill lands when a uniformly random payment number starts. */
  kills: number;
}

/**
 * Section 4, first drill: kill -9 the api at random moments while terminals make payments, restart it, and check
 * the outcome against what the terminals saw. Read models on the embedded SQLite default (one instance).
 */
export async function killDuringPayments(options: KillDrillOptions): Promise<DrillReport> {
  const report = new DrillReport('kill-9 during payments');
  const random = seededRandom(options.seed);
  const { dataDir, internalToken, env } = drillEnvironment();
  const api = new ApiProcess('api', await freePort(), env);
  report.figure(`seed ${options.seed}, ${options.payments} payments, ${options.concurrency} terminals, data dir ${dataDir}`);
  try {
    await api.start();
    const driver = new TerminalDriver({ baseUrl: () => api.url, internalToken, random });
    const customers = await driver.setUp(20, (i) => (i === 0 ? 3_000n : 500_000n));
    const impostorFace = unitVector(random);
    const records: PaymentRecord[] = [];
    let next = 0;
    const pick = (): { customer: DrillCustomer; kind: PaymentKind; amountMinor: bigint } => {
      const roll = random();
      const kind: PaymentKind = roll < 0.04 ? 'impostor' : roll < 0.08 ? 'spoof' : 'genuine';
      return { customer: customers[Math.floor(random() * customers.length)], kind, amountMinor: BigInt(100 + Math.floor(random() * 1_900)) };
    };
    const terminal = async () => {
      while (next < options.payments) {
        next++;
        const { customer, kind, amountMinor } = pick();
        records.push(await driver.pay(customer, amountMinor, kind, impostorFace));
      }
    };
    const kills: string[] = [];
    let paying = true;
    // Restarts cost seconds (loading the bundle), so the drill chooses how many kills, and chance chooses when.
    const killAt = Array.from({ length: options.kills }, () => 1 + Math.floor(random() * (options.payments - 1))).sort((x, y) => x - y);
    const killer = (async () => {
      for (const target of killAt) {
        while (paying && next < target) await sleep(5);
        if (!paying) break;
        // A few ms to a few hundred later, so the kill lands inside requests, appends and projection batches.
        await sleep(random() * 250);
        const at = next;
        await api.kill9();
        const down = Date.now();
        await sleep(random() * 300);
        await api.start();
        kills.push(`#${at} (down ${Date.now() - down} ms)`);
      }
    })();
    const started = Date.now();
    await Promise.all(Array.from({ length: options.concurrency }, terminal));
    paying = false;
    await killer;
    report.figure(`${records.length} payments in ${((Date.now() - started) / 1000).toFixed(1)} s; ${kills.length} kill -9s at payments ${kills.join(', ')}`);
    report.expect(kills.length === options.kills, `only ${kills.length} of ${options.kills} kills happened during the payments`);
    await verify(report, api, dataDir, records);
  } finally {
    await api.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return report;
}

async function verify(report: DrillReport, api: ApiProcess, dataDir: string, records: PaymentRecord[]): Promise<void> {
  let store: SqliteEventStore | undefined;
  const live = await openLiveReadModels({ sqlitePath: join(dataDir, 'read-models.sqlite') });
  try {
    store = openSqliteEventStore(join(dataDir, 'events.sqlite'));
    const caughtUpMs = await waitForProjections(store, live, 60_000);
    report.figure(`projections reached the head ${caughtUpMs} ms after the last payment`);
    await api.stop();
    const figures = await checkPayments(store, live, records);
    report.figure(
      `terminals saw ${figures.approved} approved, ${figures.declined} declined, ${figures.unknown} without an answer; ${figures.retriedRequests} requests retried across the kills`,
    );
    report.expect(figures.unknown === 0, `${figures.unknown} payments got no answer within the retry window`);
    report.expect(figures.approvedNotExactlyOnce.length === 0, 'an approved payment is not in the store exactly once', figures.approvedNotExactlyOnce);
    report.expect(figures.declinedThatMovedMoney.length === 0, 'a declined payment moved money', figures.declinedThatMovedMoney);
    report.expect(figures.walletMismatches.length === 0, 'a wallet was debited other than the sum of its approved payments', figures.walletMismatches);
    report.expect(figures.readModelMismatches.length === 0, 'the payments read model disagrees with the terminal', figures.readModelMismatches);
    report.figure(`approved exactly once: ${figures.approved - figures.approvedNotExactlyOnce.length}/${figures.approved}; declined with money moved: ${figures.declinedThatMovedMoney.length}; wallet mismatches: ${figures.walletMismatches.length}`);
    const ledger = await ledgerFigures(store);
    report.figure(ledger.line);
    report.expect(ledger.ok, 'the ledger invariants do not hold (a currency does not sum to zero or a flag broke)');
    const chains = await store.verifyAll();
    report.figure(`hash chains: ${chains.streamsChecked} streams, ${chains.eventsChecked} events, ${chains.broken.length} broken`);
    report.expect(chains.ok, 'a stream hash chain is broken after the kills');
    const rebuild = await rebuildFigures(store, live);
    report.figure(rebuild.line);
    report.expect(rebuild.report.ok, 'the read model differs from a rebuild', rebuild.report.differences.map((d) => JSON.stringify(d)));
  } finally {
    await store?.close();
    await live.destroy();
  }
}
