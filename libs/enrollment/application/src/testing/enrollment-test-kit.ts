import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes, randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteEventStore, type SqliteEventStore } from '@smilepay/shared/eventstore';
import {
  openTestReadModelDatabase,
  ProjectionRunner,
  projectionEntities,
  projectionMigrations,
  type ReadModelDialect,
  type TestReadModelDatabase,
} from '@smilepay/shared/projections';
import { LedgerService } from '@smilepay/ledger/application';
import type { CurrencyCode } from '@smilepay/ledger/domain';
import {
  enrollmentEntities,
  enrollmentMigrations,
  enrollmentProjections,
  PhoneIndex,
  PinVault,
  TemplateVault,
} from '@smilepay/enrollment/infrastructure';
import { EnrollmentService } from '../lib/enrollment.service';
import { DEFAULT_FACE_MATCHING_CONFIG, type FaceMatchingConfig } from '../lib/config/face-matching-config';
import type { EnrollmentPolicy } from '../lib/enrollment-deps';
import type { RequestContext } from '../lib/context';

/**
 * Test support for this lib and for checkout's integration tests: the real embedded event store (a temp SQLite
 * file), a real read-model database (SQLite or PostgreSQL in a throw-away schema), the real vaults, ledger and
 * phone-index projection. Nothing is mocked. Not for production use.
 */
export interface EnrollmentTestKit {
  store: SqliteEventStore;
  db: TestReadModelDatabase;
  vault: TemplateVault;
  pins: PinVault;
  phones: PhoneIndex;
  ledger: LedgerService;
  enrollment: EnrollmentService;
  matching: FaceMatchingConfig;
  context: RequestContext;
  /** Waits until the phone index has every event appended so far. */
  settle(): Promise<void>;
  /** Opens a wallet-compatible external account (once) and a merchant account; funds wallets from it. */
  openMerchant(merchantAccountId?: string): Promise<string>;
  fund(walletAccountId: string, amountMinor: bigint): Promise<void>;
  newWallet(): { accountId: string; currency: CurrencyCode; ledger: number; code: number };
  dispose(): Promise<void>;
}

export const TEST_CURRENCY: CurrencyCode = 'EUR';
/** ISO 4217 numeric code of EUR: one ledger per currency. */
export const TEST_LEDGER = 978;

export async function openEnrollmentTestKit(
  dialect: ReadModelDialect,
  options: { matching?: FaceMatchingConfig; policy?: Partial<EnrollmentPolicy> } = {},
): Promise<EnrollmentTestKit> {
  const dir = mkdtempSync(join(tmpdir(), 'smilepay-enrollment-'));
  const store = openSqliteEventStore(join(dir, 'events.sqlite'));
  const db = await openTestReadModelDatabase(dialect, {
    entities: [...projectionEntities, ...enrollmentEntities],
    migrations: [...projectionMigrations, ...enrollmentMigrations],
  });
  const vault = new TemplateVault(db.dataSource, { masterKey: randomBytes(32), masterKeyId: 'test' });
  const pins = new PinVault(db.dataSource, { pepper: randomBytes(32) });
  const phones = new PhoneIndex(db.dataSource);
  const ledger = new LedgerService(store);
  const matching = options.matching ?? DEFAULT_FACE_MATCHING_CONFIG;
  const enrollment = new EnrollmentService({ store, vault, pins, phones, ledger, matching, policy: options.policy });
  const silent = { log: () => undefined, warn: () => undefined, error: () => undefined };
  const runner = new ProjectionRunner({
    store,
    dataSource: db.dataSource,
    projections: enrollmentProjections,
    logger: silent,
    pollIntervalMs: 10,
  });
  await runner.start();
  const context: RequestContext = { correlationId: randomUUID(), actor: 'system:test' };
  const externalId = randomUUID();
  let externalOpened = false;
  const openExternal = async () => {
    if (externalOpened) return;
    await ledger.openAccount(
      { accountId: externalId, kind: 'external', currency: TEST_CURRENCY, ledger: TEST_LEDGER, code: 9 },
      context,
    );
    externalOpened = true;
  };
  return {
    store,
    db,
    vault,
    pins,
    phones,
    ledger,
    enrollment,
    matching,
    context,
    settle: async () => runner.waitFor(await store.headPosition(), { timeoutMs: 10_000 }),
    async openMerchant(merchantAccountId = randomUUID()) {
      await openExternal();
      await ledger.openAccount(
        { accountId: merchantAccountId, kind: 'merchant', currency: TEST_CURRENCY, ledger: TEST_LEDGER, code: 2 },
        context,
      );
      return merchantAccountId;
    },
    async fund(walletAccountId, amountMinor) {
      await openExternal();
      const transfer = {
        id: randomUUID(),
        debitAccountId: externalId,
        creditAccountId: walletAccountId,
        amount: amountMinor,
        currency: TEST_CURRENCY,
        ledger: TEST_LEDGER,
        code: 1,
        kind: 'single' as const,
      };
      await ledger.createTransfers({ transfers: [transfer] }, context);
    },
    newWallet: () => ({ accountId: randomUUID(), currency: TEST_CURRENCY, ledger: TEST_LEDGER, code: 1 }),
    async dispose() {
      await runner.stop();
      await store.close();
      await db.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Random unit vectors stand in for face embeddings; the real models are tested in the biometrics libs. */
export function randomUnitVector(dimension = 512): Float32Array {
  const raw = randomBytes(dimension * 4);
  const out = new Float32Array(dimension);
  for (let i = 0; i < dimension; i++) out[i] = raw.readInt32LE(i * 4) / 2 ** 31;
  return normalize(out);
}

/** The same face seen again: the vector plus noise, renormalised. `noise` 0.3 keeps cosine near 0.95 at 512-D. */
export function noisyCopy(vector: Float32Array, noise: number): Float32Array {
  const jitter = randomUnitVector(vector.length);
  const out = new Float32Array(vector.length);
  for (let i = 0; i < vector.length; i++) out[i] = vector[i] + noise * jitter[i];
  return normalize(out);
}

/** A vector at exactly cosine `similarity` to `vector` (for look-alikes at a chosen distance). */
export function vectorAtSimilarity(vector: Float32Array, similarity: number): Float32Array {
  const other = randomUnitVector(vector.length);
  let dot = 0;
  for (let i = 0; i < vector.length; i++) dot += other[i] * vector[i];
  const orthogonal = normalize(other.map((x, i) => x - dot * vector[i]));
  const sine = Math.sqrt(1 - similarity * similarity);
  return normalize(vector.map((x, i) => similarity * x + sine * orthogonal[i]));
}

function normalize(vector: Float32Array): Float32Array {
  let sum = 0;
  for (const x of vector) sum += x * x;
  const inverse = 1 / Math.sqrt(sum);
  return vector.map((x) => x * inverse);
}
