import type { RecordedEvent } from '@smilepay/shared/eventstore';
import {
  checkoutStreamId,
  evolveCheckout,
  initialCheckoutState,
  refundedMinor,
  type Checkout,
  type CheckoutEvent,
  type CheckoutState,
} from '@smilepay/checkout/domain';
import { checkoutEventCodec } from '@smilepay/checkout/application';
import type { EvidenceLivenessVerdict, EvidencePaymentStatus, RecentPaymentFacts } from '@smilepay/claims/domain';
import type { EventStore } from '@smilepay/shared/eventstore';

/** Most events read from one checkout stream: a checkout is a handful of events, refunds add a few. */
const MAX_CHECKOUT_EVENTS = 500;
const SHA256_HEX = /^[0-9a-f]{64}$/;

/** What one checkout stream says about a payment, including facts its decider state does not keep. */
export interface PaymentFacts {
  checkout: Checkout;
  /** Liveness checks and their scores: the fused score always, per-signal scores when the stream carries them. */
  livenessScores: { check: string; score: number }[];
  attackSpecies: string | null;
  decisionLatencyMs: number | null;
  matchScore: number | null;
  matchThreshold: number | null;
  frameDigests: string[];
  /** How many frame digests the gateway reported (the event keeps a bounded number). */
  frameDigestsTotal: number;
  modelVersions: Record<string, string>;
  matchModelVersion: string | null;
  /** The customer identified, paying or declined, when there was one. */
  customerId: string | null;
  occurredAt: string;
  updatedAt: string;
}

export async function readPaymentFacts(store: EventStore, paymentId: string): Promise<PaymentFacts | null> {
  const records = await store.readStream(checkoutStreamId(paymentId), { maxCount: MAX_CHECKOUT_EVENTS });
  let state: CheckoutState = initialCheckoutState();
  const facts = emptyExtras();
  for (const record of records) {
    const event = checkoutEventCodec.decode(record);
    if (event === undefined) continue;
    state = evolveCheckout(state, event);
    collectExtras(facts, event, record);
  }
  if (state.status === 'none') return null;
  const customerId = state.payment?.customerId ?? state.credential?.customerId ?? facts.declinedCustomerId;
  const occurredAt = facts.authorizedAt ?? new Date(state.startedAtMs).toISOString();
  const updatedAt = records.length > 0 ? records[records.length - 1].recordedAt : occurredAt;
  const { declinedCustomerId: _d, authorizedAt: _a, decidedAt, ...extras } = facts;
  // As the payments feed measures it: from the checkout's start to its decision (authorized or declined).
  extras.decisionLatencyMs = decidedAt === null ? null : Math.max(0, Date.parse(decidedAt) - state.startedAtMs);
  return { checkout: state, ...extras, customerId, occurredAt, updatedAt };
}

type Extras = Omit<PaymentFacts, 'checkout' | 'customerId' | 'occurredAt' | 'updatedAt'> & {
  declinedCustomerId: string | null;
  authorizedAt: string | null;
  decidedAt: string | null;
};

const emptyExtras = (): Extras => ({
  livenessScores: [],
  attackSpecies: null,
  decisionLatencyMs: null,
  matchScore: null,
  matchThreshold: null,
  frameDigests: [],
  frameDigestsTotal: 0,
  modelVersions: {},
  matchModelVersion: null,
  declinedCustomerId: null,
  authorizedAt: null,
  decidedAt: null,
});

function collectExtras(facts: Extras, event: CheckoutEvent, record: RecordedEvent): void {
  switch (event.type) {
    case 'LivenessVerdictRecorded':
      Object.assign(facts, livenessExtras(event.data.score, record.data));
      return;
    case 'FaceMatchRecorded':
      facts.matchScore = event.data.bestScore;
      facts.matchThreshold = event.data.threshold;
      facts.matchModelVersion = event.data.modelVersion;
      return;
    case 'PaymentDeclined':
      facts.declinedCustomerId = event.data.customerId ?? facts.declinedCustomerId;
      facts.decidedAt ??= event.data.declinedAt;
      return;
    case 'PaymentAuthorized':
      facts.authorizedAt = event.data.authorizedAt;
      facts.decidedAt ??= event.data.authorizedAt;
      return;
    default:
      return;
  }
}

/**
 * Checkout records the fused liveness score; per-signal scores, the suspected attack and the frame digests the gateway
 * sends are optional fields a stream may carry (added the compatible way, STYLE.md §4), read when present.
 */
function livenessExtras(fused: number | null, data: unknown): Partial<Extras> {
  const raw = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  const scores: { check: string; score: number }[] = [];
  if (typeof raw['scores'] === 'object' && raw['scores'] !== null) {
    for (const [check, score] of Object.entries(raw['scores'] as Record<string, unknown>)) {
      if (typeof score === 'number' && Number.isFinite(score)) scores.push({ check, score });
    }
  }
  if (fused !== null && !scores.some((s) => s.check === 'fused')) scores.unshift({ check: 'fused', score: fused });
  const digests = Array.isArray(raw['frameDigests'])
    ? raw['frameDigests'].map(digestOf).filter((d): d is string => d !== null)
    : [];
  const total = raw['frameDigestsTotal'];
  return {
    livenessScores: scores,
    attackSpecies: typeof raw['attackSpecies'] === 'string' ? raw['attackSpecies'] : null,
    frameDigests: digests,
    frameDigestsTotal: typeof total === 'number' && Number.isSafeInteger(total) ? Math.max(total, digests.length) : digests.length,
    modelVersions: stringsOf(raw['modelVersions']),
  };
}

function stringsOf(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

function digestOf(entry: unknown): string | null {
  const value = typeof entry === 'string' ? entry : (entry as { rgbSha256?: unknown } | null)?.rgbSha256;
  return typeof value === 'string' && SHA256_HEX.test(value) ? value : null;
}

export function paymentStatusOf(checkout: Checkout): EvidencePaymentStatus {
  switch (checkout.status) {
    case 'authorized':
      return 'authorized';
    case 'captured':
      return refundedMinor(checkout) > 0n ? 'refunded' : 'captured';
    case 'voided':
      return 'voided';
    case 'cancelled':
      return 'cancelled';
    case 'declined':
      return 'declined';
    default:
      return 'started';
  }
}

export function livenessVerdictOf(checkout: Checkout): EvidenceLivenessVerdict {
  const verdict = checkout.liveness?.verdict;
  if (verdict === undefined) return null;
  return verdict === 'not_checked' ? 'inconclusive' : verdict;
}

/** Captured (or still held) minus refunded: what the payment took from the customer and may be claimed. */
export function claimableMinorOf(checkout: Checkout): bigint {
  const payment = checkout.payment;
  if (payment === null || (checkout.status !== 'authorized' && checkout.status !== 'captured')) return 0n;
  const moved = payment.capturedMinor ?? payment.authorizedMinor;
  const left = moved - refundedMinor(checkout);
  return left > 0n ? left : 0n;
}

/** The amount a payment shows: what was captured, else held, else asked for. */
export const shownAmountOf = (checkout: Checkout): bigint =>
  checkout.payment?.capturedMinor ?? checkout.payment?.authorizedMinor ?? checkout.amountMinor;

export function feedItemOf(facts: PaymentFacts): RecentPaymentFacts {
  const c = facts.checkout;
  return {
    paymentId: c.checkoutId,
    checkoutId: c.checkoutId,
    merchantId: c.merchantId,
    terminalId: c.terminalId,
    customerId: facts.customerId,
    amountMinor: shownAmountOf(c).toString(),
    currency: c.currency,
    status: paymentStatusOf(c),
    method: c.method,
    declineReason: c.declineReason,
    livenessVerdict: livenessVerdictOf(c),
    attackSpecies: facts.attackSpecies,
    livenessScore: c.liveness?.score ?? null,
    matchScore: facts.matchScore,
    decisionLatencyMs: facts.decisionLatencyMs,
    updatedAt: facts.updatedAt,
  };
}
