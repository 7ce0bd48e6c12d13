import { openSqliteEventStore } from '@smilepay/shared/eventstore';
import Database from 'better-sqlite3';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DrillReport, drillEnvironment } from './drill-env';
import { writeLedgerHistory } from './ledger-history';
import { ApiProcess, freePort, sleep } from './processes';
import { seededRandom } from './terminal-driver';
import { ledgerFigures, openLiveReadModels, rebuildFigures, waitForProjections } from './verify';

/** The ledger_balances checkpoint as committed on disk; -1 until the api has created and migrated its read models. */
async function checkpointOf(dataDir: string): Promise<bigint> {
  const file = join(dataDir, 'read-models.sqlite');
  if (!existsSync(file)) return -1n;
  const db = new Database(file, { fileMustExist: true, readonly: true });
  try {
    const row = db.prepare(`SELECT "position" FROM "projection_checkpoints" WHERE "name" = 'ledger_balances'`).get() as { position: number | bigint } | undefined;
    return row === undefined ? -1n : BigInt(row.position);
  } catch {
    return -1n;
  } finally {
    db.close();
  }
}

/**
 * Section 4, second drill: kill -9 the api while its projectors are in the middle of a long catch-up (batches of 200
 * events, each batch one transaction with its checkpoint), restart, and repeat. Afterwards the read model must equal
 * a rebuild: a batch applied twice would double ledger counters and transfer rows.
 */
export async function killProjectorsMidBatch(options: { payments: number; kills: number; seed: number }): Promise<DrillReport> {
  const report = new DrillReport('kill -9 projectors mid-batch');
  const random = seededRandom(options.seed);
  const { dataDir, env } = drillEnvironment();
  const api = new ApiProcess('api', await freePort(), { ...env, AUDIT_SEALER: 'off' });
  const store = openSqliteEventStore(join(dataDir, 'events.sqlite'));
  try {
    const written = await writeLedgerHistory(store, options.payments);
    const head = await store.headPosition();
    report.figure(`seed ${options.seed}: ${written} ledger events written before the api starts (head ${head})`);
    const cuts: string[] = [];
    for (let kill = 0; kill < options.kills; kill++) {
      // Each run resumes from the last committed checkpoint; the kill lands at a random point of what is left.
      const from = await checkpointOf(dataDir);
      const target = from + 1n + BigInt(Math.floor(random() * Number(head - from) * 0.8));
      api.spawn();
      let at = from;
      const deadline = Date.now() + 120_000;
      while (at < target) {
        if (!api.running || Date.now() > deadline) throw new Error(`the api stopped or stalled before checkpoint ${target}:\n${api.output().slice(-3_000)}`);
        await sleep(2);
        at = await checkpointOf(dataDir);
      }
      await api.kill9();
      const after = await checkpointOf(dataDir);
      cuts.push(`${from}->${after}`);
      report.expect(after < head, `kill ${kill + 1} came after the catch-up ended (checkpoint ${after}, head ${head})`);
    }
    report.figure(`${cuts.length} kills during catch-up; ledger_balances checkpoint per run: ${cuts.join(', ')}`);
    await api.start();
    const live = await openLiveReadModels({ sqlitePath: join(dataDir, 'read-models.sqlite') });
    try {
      const caughtUpMs = await waitForProjections(store, live, 120_000);
      report.figure(`after the last restart, projections reached the head in ${caughtUpMs} ms`);
      await api.stop();
      const ledger = await ledgerFigures(store);
      report.figure(ledger.line);
      report.expect(ledger.ok, 'the ledger invariants do not hold');
      const rebuild = await rebuildFigures(store, live);
      report.figure(rebuild.line);
      report.expect(rebuild.report.ok, 'a row was applied twice or lost: the read model differs from a rebuild', rebuild.report.differences.map((d) => JSON.stringify(d)));
    } finally {
      await live.destroy();
    }
  } finally {
    await api.stop();
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return report;
}
