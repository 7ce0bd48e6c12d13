import type { CheckoutEvent, CheckoutStarted, LivenessVerdict, PaymentDeclined } from '@smilepay/checkout/domain';
import { parseMinor } from '@smilepay/ledger/domain';
import type { PaymentStatus } from '@smilepay/shared/contracts';
import type { CheckoutRecord } from './checkout-records';
import { PaymentEntity, type PaymentLivenessVerdict } from './payment.entity';

/** Statuses in which money was held: a replayed credential declined then does not undo the payment. */
const PAID: readonly PaymentStatus[] = ['authorized', 'captured', 'voided', 'refunded'];
/** Latency is an INTEGER column; a checkout decided weeks after it started is capped, not overflowed. */
const MAX_LATENCY_MS = 2 ** 31 - 1;

export function startedPayment(record: CheckoutRecord, event: CheckoutStarted): PaymentEntity {
  const d = event.data;
  return Object.assign(new PaymentEntity(), {
    checkoutId: d.checkoutId,
    merchantId: d.merchantId,
    merchantAccountId: d.merchantAccountId,
    terminalId: d.terminalId,
    customerId: null,
    method: d.method,
    amount: parseMinor(d.amountMinor),
    currency: d.currency,
    status: 'started',
    decision: null,
    declineReason: null,
    livenessVerdict: null,
    livenessScore: null,
    attackSpecies: null,
    matchScore: null,
    decisionLatencyMs: null,
    transferId: null,
    walletAccountId: null,
    capturedAmount: null,
    refundedAmount: 0n,
    startedAt: new Date(d.startedAt),
    decidedAt: null,
    updatedAt: record.recordedAt,
    startedPosition: record.position,
    lastPosition: record.position,
  } satisfies PaymentEntity);
}

/** The dashboard's three verdicts; the domain's `not_checked` (no usable evidence) shows as inconclusive. */
export function wireVerdict(verdict: LivenessVerdict): PaymentLivenessVerdict {
  return verdict === 'not_checked' ? 'inconclusive' : verdict;
}

/**
 * The gateway reports the suspected presentation-attack species with a spoof verdict. Events that carry it (an
 * optional field, added without a new event version) fill the column; older ones leave it null.
 */
function attackSpeciesOf(data: object): string | null {
  const species = (data as { attackSpecies?: unknown }).attackSpecies;
  return typeof species === 'string' && species.length > 0 && species.length <= 64 ? species : null;
}

function decide(row: PaymentEntity, decision: 'authorized' | 'declined', atIso: string): void {
  if (row.decision !== null) return;
  const at = new Date(atIso);
  row.decision = decision;
  row.decidedAt = at;
  row.decisionLatencyMs = Math.min(Math.max(0, at.getTime() - row.startedAt.getTime()), MAX_LATENCY_MS);
}

function declined(row: PaymentEntity, event: PaymentDeclined): void {
  const d = event.data;
  // Mirrors the decider: a reused credential against a paid checkout records the replay and changes nothing else.
  if (d.reason === 'credential_reused' && PAID.includes(row.status)) return;
  row.status = 'declined';
  row.declineReason = d.reason;
  row.customerId ??= d.customerId;
  decide(row, 'declined', d.declinedAt);
}

/** Applies one checkout event (after CheckoutStarted) to its row, in place. */
export function applyToPayment(row: PaymentEntity, record: CheckoutRecord): void {
  const event: CheckoutEvent = record.event;
  switch (event.type) {
    case 'CheckoutStarted':
    case 'PhoneFactorRequested':
    case 'PhoneFactorProvided':
    case 'PinRequested':
    case 'RefundRequested':
    case 'RefundDeclined':
      break;
    case 'LivenessVerdictRecorded':
      row.livenessVerdict = wireVerdict(event.data.verdict);
      row.livenessScore = event.data.score;
      row.attackSpecies = attackSpeciesOf(event.data);
      break;
    case 'FaceMatchRecorded':
      row.matchScore = event.data.bestScore;
      break;
    case 'PinVerified':
    case 'FaceCredentialIssued':
      row.customerId = event.data.customerId;
      break;
    case 'PaymentAuthorized':
      row.status = 'authorized';
      row.customerId = event.data.customerId;
      row.transferId = event.data.transferId;
      row.walletAccountId = event.data.walletAccountId;
      decide(row, 'authorized', event.data.authorizedAt);
      break;
    case 'PaymentCaptured':
      row.status = 'captured';
      row.capturedAmount = parseMinor(event.data.amountMinor);
      break;
    case 'PaymentVoided':
      row.status = 'voided';
      break;
    case 'PaymentDeclined':
      declined(row, event);
      break;
    case 'CheckoutCancelled':
      row.status = 'cancelled';
      break;
    case 'PaymentRefunded':
      row.status = 'refunded';
      row.refundedAmount += parseMinor(event.data.amountMinor);
      break;
    default: {
      const _exhaustive: never = event;
      throw new Error(`payments: unhandled checkout event ${JSON.stringify(_exhaustive)}`);
    }
  }
  row.updatedAt = record.recordedAt;
  row.lastPosition = record.position;
}
