import { derivedUuid } from '@smilepay/checkout/application';
import type { CurrencyCode } from '@smilepay/ledger/domain';
import { DomainError } from '@smilepay/shared/domain';
import type { ClaimsLedgerPort } from '../streams/claims-deps';
import { DEFAULT_CLAIM_TRANSFER_CODES } from '../streams/claims-deps';
import type { ClaimsRequestContext } from '../streams/context';
import { lossReserveAccountId } from '../streams/derived-ids';

/** The loss reserve's account code (TigerBeetle's `code` on accounts: what kind of account this is to us). */
export const LOSS_RESERVE_ACCOUNT_CODE = 4;

export interface EnsureLossReserveInput {
  currency: CurrencyCode;
  /** The ledger number the currency's wallets live on: a reimbursement only moves within one ledger. */
  ledger: number;
  /** The external account (the outside world) the reserve is funded from. */
  fundingAccountId: string;
  /** The reserve is topped up to at least this; 0 only opens it. */
  minimumMinor: bigint;
  transferCode?: number;
}

export interface EnsureLossReserveResult {
  accountId: string;
  opened: boolean;
  toppedUpMinor: bigint;
}

/**
 * Opens the currency's loss reserve if missing and tops it up from the external account to `minimumMinor`. Safe to run
 * on every boot and from several processes: the account id is well known, and the top-up's transfer id is derived from
 * the reserve stream's revision, so two runs that saw the same balance make the same (idempotent) transfer.
 */
export async function ensureLossReserve(
  ledger: ClaimsLedgerPort,
  input: EnsureLossReserveInput,
  context: ClaimsRequestContext,
): Promise<EnsureLossReserveResult> {
  if (input.minimumMinor < 0n)
    throw new DomainError('minimumMinor_invalid', 'the minimum must not be negative', 'invalid');
  const accountId = lossReserveAccountId(input.currency);
  const { created } = await ledger.openAccount(
    {
      accountId,
      kind: 'loss_reserve',
      currency: input.currency,
      ledger: input.ledger,
      code: LOSS_RESERVE_ACCOUNT_CODE,
    },
    context,
  );
  const view = await ledger.getAccountView(accountId);
  const balances = view.balances;
  if (balances === undefined) throw new Error(`loss reserve ${accountId} must be flagged to hold its balance`);
  const available = balances.creditsPosted - balances.debitsPosted - balances.debitsPending;
  const missing = input.minimumMinor - available;
  if (missing <= 0n) return { accountId, opened: created, toppedUpMinor: 0n };
  const transfer = {
    id: derivedUuid(`smilepay:loss-reserve-top-up:${accountId}:${view.revision}:${missing}`),
    debitAccountId: input.fundingAccountId,
    creditAccountId: accountId,
    amount: missing,
    currency: input.currency,
    ledger: input.ledger,
    code: input.transferCode ?? DEFAULT_CLAIM_TRANSFER_CODES.reserveFunding,
    kind: 'single' as const,
  };
  await ledger.createTransfers({ transfers: [transfer] }, context);
  return { accountId, opened: created, toppedUpMinor: missing };
}
