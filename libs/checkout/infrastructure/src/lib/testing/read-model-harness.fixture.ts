import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ledgerProjections, ledgerReadModelEntities, ledgerReadModelMigrations } from '@smilepay/ledger/infrastructure';
import { openSqliteEventStore, type SqliteEventStore } from '@smilepay/shared/eventstore';
import {
  openTestReadModelDatabase,
  ProjectionRunner,
  projectionEntities,
  projectionMigrations,
  type ReadModelDialect,
  type TestReadModelDatabase,
} from '@smilepay/shared/projections';
import { checkoutProjections, checkoutReadModelEntities, checkoutReadModelMigrations } from '../checkout-read-models';
import { CheckoutScenario } from './checkout-scenario.fixture';


/** A real embedded store, a real read-model database (SQLite or PostgreSQL) and the projections this lib needs. */
export interface ReadModelHarness {
  store: SqliteEventStore;
  db: TestReadModelDatabase;
  scenario: CheckoutScenario;
  /** Runs every projection up to the store's head; fails if any projection logged an error on the way. */
  project(): Promise<void>;
  dispose(): Promise<void>;
}

export async function openReadModelHarness(dialect: ReadModelDialect): Promise<ReadModelHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'smilepay-checkout-rm-'));
  const store = openSqliteEventStore(join(dir, 'events.sqlite'));
  const db = await openTestReadModelDatabase(dialect, {
    entities: [...projectionEntities, ...ledgerReadModelEntities, ...checkoutReadModelEntities],
    migrations: [...projectionMigrations, ...ledgerReadModelMigrations, ...checkoutReadModelMigrations],
  });
  const errors: string[] = [];
  const logger = { log: () => undefined, warn: () => undefined, error: (message: string) => void errors.push(message) };
  // Small batches, so a checkout's events are spread over several transactions as they are in production.
  const runner = new ProjectionRunner({
    store,
    dataSource: db.dataSource,
    projections: [...ledgerProjections, ...checkoutProjections],
    logger,
    pollIntervalMs: 5,
    batchSize: 7,
  });
  let started = false;
  return {
    store,
    db,
    scenario: new CheckoutScenario(store),
    async project() {
      if (!started) await runner.start();
      started = true;
      await runner.waitFor(await store.headPosition(), { timeoutMs: 10_000 });
      // A projection that failed and retried would still catch up: its errors must fail the test anyway.
      if (errors.length > 0) throw new Error(`projection errors: ${errors.join('; ')}`);
    },
    async dispose() {
      await runner.stop();
      await store.close();
      await db.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
