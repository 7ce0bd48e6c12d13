import { derivedUuid } from '@smilepay/checkout/application';
import type { CurrencyCode } from '@smilepay/ledger/domain';

/** The ledger transfer reimbursing a claim follows from the claim, so every retry reuses the same transfer id. */
export const reimbursementTransferIdFor = (claimId: string): string =>
  derivedUuid(`smilepay:claim-reimbursement:${claimId}`);

/** One loss reserve per currency, at a well-known id every process derives alike. */
export const lossReserveAccountId = (currency: CurrencyCode): string =>
  derivedUuid(`smilepay:loss-reserve:${currency}`);

/**
 * A claim id from the caller's idempotency key: the same key from the same user files the same claim, so a retried
 * request is recognised by the decider instead of filing a second claim.
 */
export const claimIdForKey = (actor: string, idempotencyKey: string): string =>
  derivedUuid(`smilepay:claim:${actor}:${idempotencyKey}`);
