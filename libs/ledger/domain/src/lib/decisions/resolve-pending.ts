import { type Book, priorRequest } from '../book';
import type { ExpirePending, PostPending, VoidPending } from '../commands';
import { LedgerError } from '../errors';
import type {
  LedgerPendingExpired,
  LedgerPendingPosted,
  LedgerPendingVoided,
  PendingResolution,
  TransferRecord,
} from '../events';
import { fingerprintOf, type Sha256HexOf } from '../fingerprint';
import { assertLedgerId } from '../identifiers';
import { assertAmountInRange, formatMinor } from '../money';
import { sha256Hex } from '../sha256';
import { isAtOrAfter, parseIsoTime } from '../time';

export function postFingerprint(
  command: Pick<PostPending, 'id' | 'pendingId' | 'amount'>,
  hashHex: Sha256HexOf = sha256Hex,
): string {
  const request = { request: 'post_pending', id: command.id, pendingId: command.pendingId, amount: command.amount ?? null };
  return fingerprintOf(request, hashHex);
}

export function voidFingerprint(command: Pick<VoidPending, 'id' | 'pendingId'>, hashHex: Sha256HexOf = sha256Hex): string {
  return fingerprintOf({ request: 'void_pending', id: command.id, pendingId: command.pendingId }, hashHex);
}

/** Structural checks of a post or void, shared with the application (it runs them before claiming the id). */
export function validateResolution(command: PostPending | VoidPending): void {
  assertLedgerId(command.id, 'id');
  assertLedgerId(command.pendingId, 'pendingId');
  parseIsoTime(command.timestamp, 'timestamp');
  if (command.id === command.pendingId) {
    throw new LedgerError('transfer_id_reused', 'a post or void needs its own id, not the pending transfer id', {
      transferId: command.id,
    });
  }
  if (command.type === 'PostPending' && command.amount !== undefined) {
    if (typeof command.amount !== 'bigint') throw new LedgerError('invalid_amount', 'amount must be a bigint');
    assertAmountInRange(command.amount);
  }
}

/** The pending transfer, if it can still be posted or voided at `timestamp`; otherwise the reason it cannot. */
function openPending(book: Book, pendingId: string, timestamp: string): TransferRecord {
  const transfer = book.transfers.get(pendingId);
  if (transfer === undefined)
    throw new LedgerError('pending_transfer_not_found', `no pending transfer ${pendingId}`, { pendingId });
  const entry = book.pendings.get(pendingId);
  if (entry === undefined)
    throw new LedgerError('pending_transfer_not_pending', `transfer ${pendingId} is single-phase`, { pendingId });
  if (entry.status !== 'pending') throw alreadyResolved(pendingId, entry.status);
  // Past its deadline a reservation is as good as expired, even before the sweeper writes LedgerPendingExpired.
  if (transfer.expiresAt !== undefined && isAtOrAfter(timestamp, transfer.expiresAt)) {
    throw new LedgerError(
      'pending_transfer_expired',
      `pending transfer ${pendingId} expired at ${transfer.expiresAt}`,
      { pendingId },
    );
  }
  return transfer;
}

function alreadyResolved(pendingId: string, status: 'posted' | 'voided' | 'expired'): LedgerError {
  const code = `pending_transfer_already_${status}` as const;
  return new LedgerError(code, `pending transfer ${pendingId} was already ${status}`, { pendingId });
}

function resolutionOf(transfer: TransferRecord, timestamp: string): PendingResolution {
  const { id: pendingId, debitAccountId, creditAccountId, amount: pendingAmount, currency, ledger, code } = transfer;
  return { pendingId, debitAccountId, creditAccountId, pendingAmount, currency, ledger, code, timestamp };
}

export function decidePostPending(
  command: PostPending,
  book: Book,
  hashHex: Sha256HexOf = sha256Hex,
): LedgerPendingPosted[] {
  validateResolution(command);
  const fingerprint = postFingerprint(command, hashHex);
  if (priorRequest(book, [command.id], fingerprint) === 'retry') return [];
  const transfer = openPending(book, command.pendingId, command.timestamp);
  const pendingAmount = BigInt(transfer.amount);
  const amount = command.amount ?? pendingAmount;
  if (amount > pendingAmount) {
    throw new LedgerError('exceeds_pending_transfer_amount', `cannot post ${amount} of a pending ${pendingAmount}`, {
      pendingId: command.pendingId,
      pendingAmount: transfer.amount,
    });
  }
  return [
    {
      type: 'LedgerPendingPosted',
      data: { ...resolutionOf(transfer, command.timestamp), id: command.id, amount: formatMinor(amount), fingerprint },
    },
  ];
}

export function decideVoidPending(
  command: VoidPending,
  book: Book,
  hashHex: Sha256HexOf = sha256Hex,
): LedgerPendingVoided[] {
  validateResolution(command);
  const fingerprint = voidFingerprint(command, hashHex);
  if (priorRequest(book, [command.id], fingerprint) === 'retry') return [];
  const transfer = openPending(book, command.pendingId, command.timestamp);
  return [
    {
      type: 'LedgerPendingVoided',
      data: { ...resolutionOf(transfer, command.timestamp), id: command.id, fingerprint },
    },
  ];
}

/** Expiring twice changes nothing: the sweeper may run on several instances and retry after a crash. */
export function decideExpirePending(command: ExpirePending, book: Book): LedgerPendingExpired[] {
  assertLedgerId(command.pendingId, 'pendingId');
  parseIsoTime(command.now, 'now');
  const transfer = book.transfers.get(command.pendingId);
  const entry = book.pendings.get(command.pendingId);
  if (transfer === undefined)
    throw new LedgerError('pending_transfer_not_found', `no pending transfer ${command.pendingId}`, {
      pendingId: command.pendingId,
    });
  if (entry === undefined)
    throw new LedgerError('pending_transfer_not_pending', `transfer ${command.pendingId} is single-phase`, {
      pendingId: command.pendingId,
    });
  if (entry.status === 'expired') return [];
  if (entry.status !== 'pending') throw alreadyResolved(command.pendingId, entry.status);
  if (transfer.expiresAt === undefined) {
    throw new LedgerError('pending_transfer_has_no_timeout', `pending transfer ${command.pendingId} never expires`, {
      pendingId: command.pendingId,
    });
  }
  if (!isAtOrAfter(command.now, transfer.expiresAt)) {
    throw new LedgerError(
      'pending_transfer_not_expired',
      `pending transfer ${command.pendingId} expires at ${transfer.expiresAt}`,
      {
        pendingId: command.pendingId,
        expiresAt: transfer.expiresAt,
      },
    );
  }
  return [
    { type: 'LedgerPendingExpired', data: { ...resolutionOf(transfer, command.now), expiresAt: transfer.expiresAt } },
  ];
}
