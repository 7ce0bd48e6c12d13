import {
  MAX_FRAME_DIGESTS_PER_PAYMENT,
  MAX_LIVENESS_SCORES_PER_PAYMENT,
  MAX_MODEL_VERSIONS_PER_PAYMENT,
  MAX_RECENT_ACTIVITY,
  type ClaimEvidence,
  type EvidencePaymentFacts,
  type RecentPaymentFacts,
} from '@smilepay/claims/domain';
import { customerStreamId } from '@smilepay/enrollment/domain';
import { DomainError } from '@smilepay/shared/domain';
import type { EventStore } from '@smilepay/shared/eventstore';
import {
  feedItemOf,
  livenessVerdictOf,
  paymentStatusOf,
  readPaymentFacts,
  shownAmountOf,
  type PaymentFacts,
} from '../payments/payment-facts';

/** Customer events scanned (newest first) for recent checkouts: attempts are a few events per payment. */
const CUSTOMER_EVENTS_SCANNED = 400;
const ATTEMPT_EVENTS = new Set([
  'FaceAttemptSucceeded',
  'FaceAttemptFailed',
  'PinAttemptSucceeded',
  'PinAttemptFailed',
]);

/**
 * The evidence pack, from events only: each claimed payment's checkout stream (liveness, match against threshold,
 * terminal, frame digests) and the customer's recent activity, found through the checkouts their own stream names
 * (every face or PIN attempt is recorded there with its checkout id).
 */
export async function assembleEvidence(
  store: EventStore,
  claim: { claimId: string; customerId: string; paymentIds: readonly string[] },
  at: Date,
): Promise<ClaimEvidence> {
  const payments: EvidencePaymentFacts[] = [];
  for (const paymentId of claim.paymentIds) {
    const facts = await readPaymentFacts(store, paymentId);
    if (facts === null)
      throw new DomainError('payment_not_found', `no payment ${paymentId}`, 'not_found', { paymentId });
    payments.push(evidenceOf(facts));
  }
  return {
    claimId: claim.claimId,
    customerId: claim.customerId,
    assembledAt: at.toISOString(),
    payments,
    recentActivity: await recentActivity(store, claim.customerId),
  };
}

function evidenceOf(facts: PaymentFacts): EvidencePaymentFacts {
  const c = facts.checkout;
  return {
    paymentId: c.checkoutId,
    amountMinor: shownAmountOf(c).toString(),
    currency: c.currency,
    status: paymentStatusOf(c),
    merchantId: c.merchantId,
    terminalId: c.terminalId,
    occurredAt: facts.occurredAt,
    livenessVerdict: livenessVerdictOf(c),
    livenessScores: facts.livenessScores.slice(0, MAX_LIVENESS_SCORES_PER_PAYMENT),
    matchScore: facts.matchScore,
    matchThreshold: facts.matchThreshold,
    frameDigests: facts.frameDigests.slice(0, MAX_FRAME_DIGESTS_PER_PAYMENT),
    frameDigestsTotal: facts.frameDigestsTotal,
    attackSpecies: facts.attackSpecies,
    modelVersions: Object.fromEntries(Object.entries(facts.modelVersions).slice(0, MAX_MODEL_VERSIONS_PER_PAYMENT)),
    matchModelVersion: facts.matchModelVersion,
  };
}

/** The customer's most recent checkouts, newest first, as feed items. */
export async function recentActivity(store: EventStore, customerId: string): Promise<RecentPaymentFacts[]> {
  const events = await store.readStream(customerStreamId(customerId), {
    direction: 'backwards',
    maxCount: CUSTOMER_EVENTS_SCANNED,
  });
  const checkoutIds: string[] = [];
  for (const event of events) {
    if (!ATTEMPT_EVENTS.has(event.type)) continue;
    const checkoutId = (event.data as { checkoutId?: unknown }).checkoutId;
    if (typeof checkoutId === 'string' && !checkoutIds.includes(checkoutId)) checkoutIds.push(checkoutId);
    if (checkoutIds.length >= MAX_RECENT_ACTIVITY) break;
  }
  const items: RecentPaymentFacts[] = [];
  for (const checkoutId of checkoutIds) {
    const facts = await readPaymentFacts(store, checkoutId);
    if (facts !== null) items.push(feedItemOf(facts));
  }
  return items;
}
