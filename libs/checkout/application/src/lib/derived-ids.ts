import { createHash } from 'node:crypto';

/**
 * Ids derived from stable inputs, formatted as RFC 9562 version-8 (custom) UUIDs: a retry of the same request
 * derives the same id, which is what makes the ledger's and the store's idempotency work across retries.
 */
export function derivedUuid(name: string): string {
  const bytes = createHash('sha256').update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x80;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** One idempotency key of one merchant is one checkout, whichever terminal request carries it. */
export const checkoutIdFor = (merchantId: string, idempotencyKey: string): string =>
  derivedUuid(`smilepay:checkout:${merchantId}:${idempotencyKey}`);

/** The ledger ids of a checkout's post, void and refunds follow from the checkout, so retries reuse them. */
export const postIdFor = (pendingTransferId: string): string => derivedUuid(`smilepay:post:${pendingTransferId}`);
export const voidIdFor = (pendingTransferId: string): string => derivedUuid(`smilepay:void:${pendingTransferId}`);
export const refundTransferIdFor = (checkoutId: string, refundId: string): string =>
  derivedUuid(`smilepay:refund:${checkoutId}:${refundId}`);
