import type { PaymentDetailView, PaymentFeedItem } from '@smilepay/shared/contracts';
import type { PaymentEntity } from './payment.entity';

/** The feed item: money as decimal strings of minor units, times as ISO-8601. */
export function toPaymentFeedItem(row: PaymentEntity): PaymentFeedItem {
  return {
    paymentId: row.checkoutId,
    checkoutId: row.checkoutId,
    merchantId: row.merchantId,
    terminalId: row.terminalId,
    customerId: row.customerId,
    amountMinor: row.amount.toString(),
    currency: row.currency,
    status: row.status,
    method: row.method,
    declineReason: row.declineReason,
    livenessVerdict: row.livenessVerdict,
    attackSpecies: row.attackSpecies,
    livenessScore: row.livenessScore,
    matchScore: row.matchScore,
    decisionLatencyMs: row.decisionLatencyMs,
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toPaymentDetailView(row: PaymentEntity): PaymentDetailView {
  return {
    ...toPaymentFeedItem(row),
    startedAt: row.startedAt.toISOString(),
    decidedAt: row.decidedAt?.toISOString() ?? null,
    capturedMinor: row.capturedAmount?.toString() ?? null,
    refundedMinor: row.refundedAmount.toString(),
    transferId: row.transferId,
    lastPosition: row.lastPosition.toString(),
  };
}
