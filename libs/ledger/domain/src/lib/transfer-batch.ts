import type { AccountDefinition, AccountDirectory } from './account';
import type { TransferRequest } from './commands';
import { LedgerError } from './errors';
import type { IsoTime, TransferRecord } from './events';
import { fingerprintOf, type Sha256HexOf } from './fingerprint';
import { sha256Hex } from './sha256';
import { assertCode, assertLedgerId, assertLedgerNumber, assertTimeoutSeconds } from './identifiers';
import { assertAmountInRange, formatMinor, parseCurrency } from './money';
import { addSeconds, parseIsoTime } from './time';

/**
 * A linked batch is all-or-nothing and lands in one event, so its size is bounded: large enough for a payment with
 * fees, splits and a reserve contribution, small enough that one event stays a few kilobytes.
 */
export const MAX_BATCH_LEGS = 64;

/**
 * Checks everything about a batch that does not depend on balances: ids, amounts, currencies, ledgers, kinds, and
 * that every account exists and agrees with the leg. Run before any id is claimed, so bad input burns no id.
 */
export function validateTransferBatch(
  transfers: readonly TransferRequest[],
  accounts: AccountDirectory,
  timestamp: IsoTime,
): void {
  parseIsoTime(timestamp, 'timestamp');
  assertBatchSize(transfers);
  const seen = new Set<string>();
  transfers.forEach((transfer, index) => {
    validateLeg(transfer, index, accounts);
    if (seen.has(transfer.id)) {
      throw new LedgerError('duplicate_transfer_id_in_batch', `transfer id ${transfer.id} appears twice in the batch`, {
        index,
        transferId: transfer.id,
      });
    }
    seen.add(transfer.id);
  });
}

/** Cheap and first: the application checks it before looking up any account the batch names. */
export function assertBatchSize(transfers: readonly unknown[]): void {
  if (!Array.isArray(transfers) || transfers.length === 0)
    throw new LedgerError('empty_batch', 'a batch needs at least one transfer');
  if (transfers.length > MAX_BATCH_LEGS) {
    throw new LedgerError('batch_too_large', `a batch holds at most ${MAX_BATCH_LEGS} transfers`, {
      count: transfers.length,
    });
  }
}

function validateLeg(transfer: TransferRequest, index: number, accounts: AccountDirectory): void {
  const at = (field: string) => `transfers[${index}].${field}`;
  assertLedgerId(transfer.id, at('id'));
  assertLedgerId(transfer.debitAccountId, at('debitAccountId'));
  assertLedgerId(transfer.creditAccountId, at('creditAccountId'));
  const details = { index, transferId: transfer.id };
  if (transfer.debitAccountId === transfer.creditAccountId) {
    throw new LedgerError('accounts_must_be_different', `${at('')} debits and credits the same account`, details);
  }
  if (typeof transfer.amount !== 'bigint')
    throw new LedgerError('invalid_amount', `${at('amount')} must be a bigint`, details);
  assertAmountInRange(transfer.amount);
  parseCurrency(transfer.currency);
  assertLedgerNumber(transfer.ledger, at('ledger'));
  assertCode(transfer.code, at('code'));
  if (transfer.kind !== 'single' && transfer.kind !== 'pending') {
    throw new LedgerError('invalid_transfer_kind', `${at('kind')} must be single or pending`, details);
  }
  const timeoutSeconds = assertTimeoutSeconds(transfer.timeoutSeconds ?? 0, at('timeoutSeconds'));
  if (transfer.kind === 'single' && timeoutSeconds !== 0) {
    throw new LedgerError(
      'timeout_reserved_for_pending_transfer',
      `${at('timeoutSeconds')} is only for pending transfers`,
      details,
    );
  }
  checkAccount(transfer, requireAccount(accounts, transfer.debitAccountId, details), details);
  checkAccount(transfer, requireAccount(accounts, transfer.creditAccountId, details), details);
}

export function requireAccount(
  accounts: AccountDirectory,
  accountId: string,
  details: Record<string, unknown> = {},
): AccountDefinition {
  const account = accounts.get(accountId);
  if (account === undefined)
    throw new LedgerError('account_not_found', `account ${accountId} does not exist`, { ...details, accountId });
  return account;
}

function checkAccount(transfer: TransferRequest, account: AccountDefinition, details: Record<string, unknown>): void {
  if (account.currency !== transfer.currency) {
    throw new LedgerError(
      'currency_mismatch',
      `account ${account.id} holds ${account.currency}, not ${transfer.currency}`,
      {
        ...details,
        accountId: account.id,
      },
    );
  }
  if (account.ledger !== transfer.ledger) {
    throw new LedgerError(
      'ledger_mismatch',
      `account ${account.id} is on ledger ${account.ledger}, not ${transfer.ledger}`,
      {
        ...details,
        accountId: account.id,
      },
    );
  }
}

/**
 * The batch's identity for idempotency: every field the client chose, in order, with defaults filled in (an omitted
 * timeout and a timeout of 0 are the same request). The command's timestamp is excluded: a retry arrives later.
 */
export function batchFingerprint(transfers: readonly TransferRequest[], hashHex: Sha256HexOf = sha256Hex): string {
  return fingerprintOf(
    {
    request: 'create_transfers',
    transfers: transfers.map((t) => ({
      id: t.id,
      debitAccountId: t.debitAccountId,
      creditAccountId: t.creditAccountId,
      amount: t.amount,
      currency: t.currency,
      ledger: t.ledger,
      code: t.code,
      kind: t.kind,
      timeoutSeconds: t.timeoutSeconds ?? 0,
    })),
    },
    hashHex,
  );
}

/** The legs as recorded facts. */
export function toTransferRecords(transfers: readonly TransferRequest[], timestamp: IsoTime): TransferRecord[] {
  return transfers.map((t) => {
    const timeoutSeconds = t.timeoutSeconds ?? 0;
    const record: TransferRecord = {
      id: t.id,
      debitAccountId: t.debitAccountId,
      creditAccountId: t.creditAccountId,
      amount: formatMinor(t.amount),
      currency: t.currency,
      ledger: t.ledger,
      code: t.code,
      kind: t.kind,
      timeoutSeconds,
      timestamp,
    };
    if (t.kind === 'pending' && timeoutSeconds > 0) record.expiresAt = addSeconds(timestamp, timeoutSeconds);
    return record;
  });
}
