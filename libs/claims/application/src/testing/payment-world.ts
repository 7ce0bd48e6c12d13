import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckoutService, NO_RISK_RESTRICTIONS } from '@smilepay/checkout/application';
import {
  DEFAULT_FACE_MATCHING_CONFIG,
  EnrollmentService,
  noisyCopy,
  randomUnitVector,
  type RequestContext,
} from '@smilepay/enrollment/application';
import {
  enrollmentEntities,
  enrollmentMigrations,
  enrollmentProjections,
  PhoneIndex,
  PinVault,
  TemplateVault,
} from '@smilepay/enrollment/infrastructure';
import { LedgerService } from '@smilepay/ledger/application';
import type { CurrencyCode } from '@smilepay/ledger/domain';
import { openSqliteEventStore, type EventStore } from '@smilepay/shared/eventstore';
import {
  openTestReadModelDatabase,
  ProjectionRunner,
  projectionEntities,
  projectionMigrations,
  type ReadModelDialect,
  type TestReadModelDatabase,
} from '@smilepay/shared/projections';
import { ensureLossReserve } from '../lib/loss-reserve/loss-reserve';

export const WORLD_CURRENCY: CurrencyCode = 'EUR';
export const WORLD_LEDGER = 978;
const MODEL = 'arcface-r100@1';

export interface WorldCustomer {
  customerId: string;
  phone: string;
  walletAccountId: string;
  face: Float32Array;
}

/**
 * Integration-test support: real enrollment and checkout services (real vaults, ledger, phone index) over a real event
 * store, so claims are filed against payments that really happened. Pass `store` (and its `ledger`) to pay inside
 * another process's store, e.g. a test api's. Nothing is mocked. Not for production use.
 */
export interface PaymentWorld {
  store: EventStore;
  db: TestReadModelDatabase;
  ledger: LedgerService;
  enrollment: EnrollmentService;
  checkout: CheckoutService;
  context: RequestContext;
  externalAccountId: string;
  merchantId: string;
  registerTerminal(terminalId: string, at: Date): Promise<void>;
  customer(phone: string, balanceMinor: bigint, at: Date): Promise<WorldCustomer>;
  /** A captured face payment: liveness, full phone number, 1:1 match, credential, hold, capture. */
  pay(customer: WorldCustomer, terminalId: string, amountMinor: bigint, at: Date): Promise<string>;
  /** Opens and funds the loss reserve from the external account. */
  fundReserve(minimumMinor: bigint): Promise<string>;
  dispose(): Promise<void>;
}

interface WorldParts {
  store: EventStore;
  db: TestReadModelDatabase;
  ledger: LedgerService;
  enrollment: EnrollmentService;
  checkout: CheckoutService;
  phoneIndex: ProjectionRunner;
  ownsStore: boolean;
  dir: string;
}

class World implements PaymentWorld {
  readonly store: EventStore;
  readonly db: TestReadModelDatabase;
  readonly ledger: LedgerService;
  readonly enrollment: EnrollmentService;
  readonly checkout: CheckoutService;
  readonly context: RequestContext = { correlationId: randomUUID(), actor: 'system:test' };
  readonly externalAccountId = randomUUID();
  readonly merchantId = `mer_${randomUUID().slice(0, 8)}`;
  private readonly merchantAccountId = randomUUID();

  constructor(private readonly parts: WorldParts) {
    ({
      store: this.store,
      db: this.db,
      ledger: this.ledger,
      enrollment: this.enrollment,
      checkout: this.checkout,
    } = parts);
  }

  async openAccounts(): Promise<void> {
    const open = (accountId: string, kind: 'external' | 'merchant', code: number) =>
      this.ledger.openAccount({ accountId, kind, currency: WORLD_CURRENCY, ledger: WORLD_LEDGER, code }, this.context);
    await open(this.externalAccountId, 'external', 9);
    await open(this.merchantAccountId, 'merchant', 2);
  }

  async registerTerminal(terminalId: string, at: Date): Promise<void> {
    const input = { terminalId, merchantId: this.merchantId, merchantAccountId: this.merchantAccountId, at };
    await this.enrollment.registerTerminal(input, this.context);
  }

  async customer(phone: string, balanceMinor: bigint, at: Date): Promise<WorldCustomer> {
    const customerId = `cus_${randomUUID()}`;
    const walletAccountId = randomUUID();
    const face = randomUnitVector();
    const wallet = { accountId: walletAccountId, currency: WORLD_CURRENCY, ledger: WORLD_LEDGER, code: 1 };
    await this.enrollment.registerCustomer({ customerId, phone, wallet, at }, this.context);
    const consent = {
      consentText: 'Face template for payments only.',
      consentTextVersion: 'bio-1',
      purpose: 'face payment',
      retentionTermDays: 1095,
    };
    await this.enrollment.giveBiometricConsent({ customerId, ...consent, at }, this.context);
    const enrolment = {
      customerId,
      templateRef: `tpl_${randomUUID()}`,
      embedding: face,
      quality: 0.9,
      modelVersion: MODEL,
      liveness: 'live' as const,
      at,
    };
    await this.enrollment.enrollFace(enrolment, this.context);
    if (balanceMinor > 0n) await this.fund(walletAccountId, balanceMinor);
    await this.parts.phoneIndex.waitFor(await this.store.headPosition(), { timeoutMs: 10_000 });
    return { customerId, phone, walletAccountId, face };
  }

  async pay(customer: WorldCustomer, terminalId: string, amountMinor: bigint, at: Date): Promise<string> {
    const later = (seconds: number) => new Date(at.getTime() + seconds * 1000);
    const terminalSessionId = `ses_${terminalId}`;
    const start = {
      merchantId: this.merchantId,
      terminalId,
      terminalSessionId,
      amountMinor,
      currency: WORLD_CURRENCY,
      idempotencyKey: randomUUID(),
      method: 'face' as const,
      at,
    };
    const { checkoutId } = await this.checkout.start(start, this.context);
    await this.checkout.recordLiveness(
      { checkoutId, verdict: 'live', score: 0.97, evidence: gatewayEvidence(checkoutId), at },
      this.context,
    );
    const probe = { embedding: noisyCopy(customer.face, 0.3), modelVersion: MODEL };
    const step = await this.checkout.submitPhoneFactor(
      { checkoutId, digits: customer.phone, probe, at: later(1) },
      this.context,
    );
    if (step.next !== 'authorize') throw new Error(`expected a face credential, got ${JSON.stringify(step)}`);
    const presented = {
      checkoutId,
      credentialId: step.credentialId,
      terminalId,
      terminalSessionId,
      transferId: randomUUID(),
      at: later(2),
    };
    const authorized = await this.checkout.authorize(presented, this.context);
    if (authorized.outcome !== 'authorized') throw new Error(`payment declined: ${authorized.reason}`);
    await this.checkout.capture({ checkoutId, at: later(3) }, this.context);
    return checkoutId;
  }

  async fundReserve(minimumMinor: bigint): Promise<string> {
    const input = {
      currency: WORLD_CURRENCY,
      ledger: WORLD_LEDGER,
      fundingAccountId: this.externalAccountId,
      minimumMinor,
    };
    return (await ensureLossReserve(this.ledger, input, this.context)).accountId;
  }

  async dispose(): Promise<void> {
    await this.parts.phoneIndex.stop();
    if (this.parts.ownsStore) await this.store.close();
    await this.db.dispose();
    rmSync(this.parts.dir, { recursive: true, force: true });
  }

  private async fund(walletAccountId: string, amount: bigint): Promise<void> {
    const transfer = {
      id: randomUUID(),
      debitAccountId: this.externalAccountId,
      creditAccountId: walletAccountId,
      amount,
      currency: WORLD_CURRENCY,
      ledger: WORLD_LEDGER,
      code: 1,
      kind: 'single' as const,
    };
    await this.ledger.createTransfers({ transfers: [transfer] }, this.context);
  }
}

/** What the terminal gateway reports with a live verdict: per-signal scores, three frame digests, its models. */
export function gatewayEvidence(checkoutId: string) {
  const digest = (seq: number) => createHash('sha256').update(`${checkoutId}:frame:${seq}`).digest('hex');
  return {
    scores: { rgb: 0.95, depth: 0.99, fused: 0.97 },
    attackSpecies: null,
    frameDigests: [0, 1, 2].map((seq) => ({ seq, rgbSha256: digest(seq), status: 'analyzed' })),
    modelVersions: { liveness: 'minifasnet-v2@1', embedding: MODEL },
  };
}

export async function openPaymentWorld(
  dialect: ReadModelDialect,
  shared: { store?: EventStore; ledger?: LedgerService } = {},
): Promise<PaymentWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'smilepay-claims-'));
  const store = shared.store ?? openSqliteEventStore(join(dir, 'events.sqlite'));
  const db = await openTestReadModelDatabase(dialect, {
    entities: [...projectionEntities, ...enrollmentEntities],
    migrations: [...projectionMigrations, ...enrollmentMigrations],
  });
  const vault = new TemplateVault(db.dataSource, { masterKey: randomBytes(32), masterKeyId: 'test' });
  const phones = new PhoneIndex(db.dataSource);
  const ledger = shared.ledger ?? new LedgerService(store);
  const matching = DEFAULT_FACE_MATCHING_CONFIG;
  const pins = new PinVault(db.dataSource, { pepper: randomBytes(32) });
  const enrollment = new EnrollmentService({ store, vault, pins, phones, ledger, matching });
  const checkout = new CheckoutService({ store, risk: NO_RISK_RESTRICTIONS, enrollment, vault, phones, ledger, matching });
  const silent = { log: () => undefined, warn: () => undefined, error: () => undefined };
  const phoneIndex = new ProjectionRunner({
    store,
    dataSource: db.dataSource,
    projections: enrollmentProjections,
    logger: silent,
    pollIntervalMs: 10,
  });
  await phoneIndex.start();
  const world = new World({
    store,
    db,
    ledger,
    enrollment,
    checkout,
    phoneIndex,
    ownsStore: shared.store === undefined,
    dir,
  });
  await world.openAccounts();
  return world;
}
