import { LedgerError } from './errors';
import { PersistentMap } from './persistent-map';
import type {
  LedgerEvent,
  LedgerPendingExpired,
  LedgerPendingPosted,
  LedgerPendingVoided,
  TransferRecord,
} from './events';

/** Where a pending transfer stands. Only `pending` can change, and only once. */
export type PendingEntry =
  | { status: 'pending' }
  | { status: 'posted'; posted: LedgerPendingPosted['data'] }
  | { status: 'voided'; voided: LedgerPendingVoided['data'] }
  | { status: 'expired'; expired: LedgerPendingExpired['data'] };

/**
 * What a home stream (account or transfer) knows about the transfers written to it: enough to answer retries with
 * the original result and to post, void or expire its pending transfers.
 */
export interface Book {
  /** Fingerprint of the request that used each transfer id here: batch legs, posts and voids. */
  readonly fingerprints: PersistentMap<string>;
  readonly transfers: PersistentMap<TransferRecord>;
  readonly pendings: PersistentMap<PendingEntry>;
  /** Post or void id → the pending transfer it resolved. */
  readonly resolutions: PersistentMap<string>;
}

export const emptyBook = (): Book => ({
  fingerprints: PersistentMap.empty(),
  transfers: PersistentMap.empty(),
  pendings: PersistentMap.empty(),
  resolutions: PersistentMap.empty(),
});

function withEntries<V>(map: PersistentMap<V>, entries: Iterable<readonly [string, V]>): PersistentMap<V> {
  let next = map;
  for (const [key, value] of entries) next = next.set(key, value);
  return next;
}

/** Folds one event into the book; events that do not concern transfers leave it as is. */
export function evolveBook(book: Book, event: LedgerEvent): Book {
  switch (event.type) {
    case 'LedgerTransfersRecorded': {
      const { transfers, fingerprint } = event.data;
      return {
        fingerprints: withEntries(
          book.fingerprints,
          transfers.map((t) => [t.id, fingerprint] as const),
        ),
        transfers: withEntries(
          book.transfers,
          transfers.map((t) => [t.id, t] as const),
        ),
        pendings: withEntries(
          book.pendings,
          transfers.filter((t) => t.kind === 'pending').map((t) => [t.id, { status: 'pending' }] as const),
        ),
        resolutions: book.resolutions,
      };
    }
    case 'LedgerPendingPosted':
      return resolve(book, event.data.id, event.data.fingerprint, event.data.pendingId, {
        status: 'posted',
        posted: event.data,
      });
    case 'LedgerPendingVoided':
      return resolve(book, event.data.id, event.data.fingerprint, event.data.pendingId, {
        status: 'voided',
        voided: event.data,
      });
    case 'LedgerPendingExpired':
      return {
        ...book,
        pendings: withEntries(book.pendings, [[event.data.pendingId, { status: 'expired', expired: event.data }]]),
      };
    case 'LedgerAccountOpened':
    case 'LedgerCreditApplied':
      return book;
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

function resolve(book: Book, id: string, fingerprint: string, pendingId: string, entry: PendingEntry): Book {
  return {
    fingerprints: withEntries(book.fingerprints, [[id, fingerprint]]),
    transfers: book.transfers,
    pendings: withEntries(book.pendings, [[pendingId, entry]]),
    resolutions: withEntries(book.resolutions, [[id, pendingId]]),
  };
}

/**
 * Idempotency by client-chosen id. All ids unseen: a new request. All seen with this fingerprint: a retry, which
 * changes nothing. Anything else reuses an id for a different request and is refused.
 */
export function priorRequest(book: Book, ids: readonly string[], fingerprint: string): 'new' | 'retry' {
  const known = ids.map((id) => book.fingerprints.get(id));
  if (known.every((seen) => seen === undefined)) return 'new';
  if (known.every((seen) => seen === fingerprint)) return 'retry';
  const reused = ids.find((_, index) => known[index] !== fingerprint);
  throw new LedgerError('transfer_id_reused', `transfer id ${reused} was already used for a different request`, {
    transferId: reused,
  });
}

/** The recorded legs of a batch, in request order, or undefined if any is missing. */
export function recordedTransfers(book: Book, ids: readonly string[]): TransferRecord[] | undefined {
  const records = ids.map((id) => book.transfers.get(id));
  return records.every((record): record is TransferRecord => record !== undefined) ? records : undefined;
}

/** The post or void recorded under a client id, if any. */
export function resolutionById(
  book: Book,
  id: string,
):
  | { type: 'posted'; data: LedgerPendingPosted['data'] }
  | { type: 'voided'; data: LedgerPendingVoided['data'] }
  | undefined {
  const pendingId = book.resolutions.get(id);
  const entry = pendingId === undefined ? undefined : book.pendings.get(pendingId);
  if (entry?.status === 'posted' && entry.posted.id === id) return { type: 'posted', data: entry.posted };
  if (entry?.status === 'voided' && entry.voided.id === id) return { type: 'voided', data: entry.voided };
  return undefined;
}
