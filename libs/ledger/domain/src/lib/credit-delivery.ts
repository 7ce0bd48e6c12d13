import type { AccountDirectory } from './account';
import type { ApplyCredit } from './commands';
import type { LedgerEvent } from './events';
import { parseMinor } from './money';
import { homeAccountOf, unguardedEntriesOf } from './routing';

/**
 * The credits an event recorded in `sourceStream` owes to flagged accounts other than the stream's own: posted
 * entries on their unguarded side (single-phase legs and posts). Pending legs owe nothing yet: a pending credit does
 * not raise what an account may spend, and its post will be delivered when it happens.
 */
export function creditsOwedBy(event: LedgerEvent, sourceStream: string, accounts: AccountDirectory): ApplyCredit[] {
  const home = homeAccountOf(sourceStream);
  switch (event.type) {
    case 'LedgerTransfersRecorded':
      return event.data.transfers
        .filter((transfer) => transfer.kind === 'single')
        .flatMap((transfer) =>
          unguardedEntriesOf(transfer, accounts)
            .filter((entry) => entry.accountId !== home)
            .map((entry): ApplyCredit => ({
              type: 'ApplyCredit',
              transferId: transfer.id,
              accountId: entry.accountId,
              side: entry.side,
              amount: parseMinor(transfer.amount),
              currency: transfer.currency,
              sourceStream,
              timestamp: transfer.timestamp,
            })),
        );
    case 'LedgerPendingPosted': {
      const posted = event.data;
      return unguardedEntriesOf(posted, accounts)
        .filter((entry) => entry.accountId !== home)
        .map((entry): ApplyCredit => ({
          type: 'ApplyCredit',
          transferId: posted.id,
          accountId: entry.accountId,
          side: entry.side,
          amount: parseMinor(posted.amount),
          currency: posted.currency,
          sourceStream,
          pendingId: posted.pendingId,
          timestamp: posted.timestamp,
        }));
    }
    case 'LedgerAccountOpened':
    case 'LedgerCreditApplied':
    case 'LedgerPendingVoided':
    case 'LedgerPendingExpired':
      return [];
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

/** Account ids whose definitions `creditsOwedBy` needs for this event. */
export function accountsTouchedBy(event: LedgerEvent): string[] {
  switch (event.type) {
    case 'LedgerTransfersRecorded':
      return [...new Set(event.data.transfers.flatMap((t) => [t.debitAccountId, t.creditAccountId]))];
    case 'LedgerPendingPosted':
    case 'LedgerPendingVoided':
    case 'LedgerPendingExpired':
      return [event.data.debitAccountId, event.data.creditAccountId];
    case 'LedgerAccountOpened':
      return [event.data.accountId];
    case 'LedgerCreditApplied':
      return [event.data.accountId];
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}
