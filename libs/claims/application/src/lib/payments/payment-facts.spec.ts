import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { checkoutStreamId } from '@smilepay/checkout/domain';
import { openSqliteEventStore, type SqliteEventStore } from '@smilepay/shared/eventstore';
import { assembleEvidence } from '../evidence/assemble-evidence';
import { readPaymentFacts } from './payment-facts';

const metadata = { correlationId: 'c', causationId: 'c', actor: 'terminal:ter_1', schemaVersion: 1 };
const iso = (seconds: number) => new Date(Date.UTC(2025, 5, 1, 12, 0, seconds)).toISOString();

describe('payment facts read from a checkout stream', () => {
  let dir: string;
  let store: SqliteEventStore;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'smilepay-facts-'));
    store = openSqliteEventStore(join(dir, 'events.sqlite'));
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function checkout(liveness: Record<string, unknown>): Promise<string> {
    const checkoutId = randomUUID();
    const events = [
      {
        type: 'CheckoutStarted',
        data: {
          checkoutId,
          merchantId: 'mer_1',
          merchantAccountId: randomUUID(),
          terminalId: 'ter_1',
          terminalSessionId: 's',
          amountMinor: '900',
          currency: 'EUR',
          idempotencyKey: checkoutId,
          method: 'face',
          startedAt: iso(0),
        },
      },
      {
        type: 'LivenessVerdictRecorded',
        data: { checkoutId, verdict: 'live', score: 0.91, recordedAt: iso(1), ...liveness },
      },
      {
        type: 'PaymentDeclined',
        data: { checkoutId, reason: 'no_match', customerId: 'cus_1', fallback: 'phone_pin', declinedAt: iso(3) },
      },
    ];
    await store.append(
      checkoutStreamId(checkoutId),
      events.map((e) => ({ ...e, metadata })),
      { expectedState: 'no_stream' },
    );
    return checkoutId;
  }

  it('takes per-signal scores, frame digests and the attack species when the stream carries them', async () => {
    const digest = 'ab'.repeat(32);
    const id = await checkout({
      scores: { rgb: 0.88, depth: 0.93, bogus: 'x' },
      frameDigests: [{ seq: 0, rgbSha256: digest, status: 'analyzed' }, { seq: 1, rgbSha256: 'not-a-digest' }, digest],
      attackSpecies: 'print',
    });
    const facts = await readPaymentFacts(store, id);
    // The store keeps canonical JSON, so the signals come back in key order after the fused score.
    expect(facts).toMatchObject({
      livenessScores: [
        { check: 'fused', score: 0.91 },
        { check: 'depth', score: 0.93 },
        { check: 'rgb', score: 0.88 },
      ],
      frameDigests: [digest, digest],
      attackSpecies: 'print',
      customerId: 'cus_1',
      decisionLatencyMs: 3_000,
    });
    const pack = await assembleEvidence(
      store,
      { claimId: 'clm_1', customerId: 'cus_1', paymentIds: [id] },
      new Date(iso(10)),
    );
    expect(pack.payments[0]).toMatchObject({
      status: 'declined',
      livenessVerdict: 'live',
      frameDigests: [digest, digest],
      matchScore: null,
    });
  });

  it('keeps to the fused score when the stream has only that, and knows no unknown checkout', async () => {
    const facts = await readPaymentFacts(store, await checkout({}));
    expect(facts).toMatchObject({
      livenessScores: [{ check: 'fused', score: 0.91 }],
      frameDigests: [],
      attackSpecies: null,
    });
    expect(await readPaymentFacts(store, randomUUID())).toBeNull();
  });
});
