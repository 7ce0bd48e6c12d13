import type { AccountFlag, AccountKind } from './account';
import type { CurrencyCode } from './money';

/**
 * Ledger events. They are stored as JSON, so every amount is a decimal string of minor units ("1050" is 10.50 EUR)
 * and every time is ISO-8601. Shapes are stable: a change adds optional fields, a breaking change gets a new type.
 *
 * Stream layout (docs/ARCHITECTURE.md, "Ledger"):
 * - `ledger_account-<accountId>`: LedgerAccountOpened, then (flagged accounts only) the transfer events of batches
 *   that hit the account's guarded side, LedgerCreditApplied, and the post/void/expire of pendings recorded there;
 * - `ledger_transfer-<firstTransferId>`: the same transfer events for a batch that hits no guarded side;
 * - `ledger_transferid-<transferId>`: TransferIdClaimed.
 */

/** Decimal string of minor units, digits only ("0" only where a zero is meaningful, e.g. balances). */
export type AmountString = string;
/** ISO-8601 UTC time, e.g. "2025-01-31T12:00:00.000Z". */
export type IsoTime = string;

export type TransferKind = 'single' | 'pending';

/** One leg of a batch, with everything a projection needs to write a transfer row and move four counters. */
export interface TransferRecord {
  id: string;
  debitAccountId: string;
  creditAccountId: string;
  /** > 0. For a pending transfer, the amount reserved. */
  amount: AmountString;
  currency: CurrencyCode;
  /** TigerBeetle's ledger: a partition of accounts; both accounts are on the transfer's ledger. */
  ledger: number;
  /** TigerBeetle's code: why the transfer happened (application-defined, e.g. payment, top-up, refund). */
  code: number;
  kind: TransferKind;
  /** Pending only: seconds after `timestamp` at which it may be expired; 0 means it never expires. */
  timeoutSeconds: number;
  /** Pending with timeoutSeconds > 0 only: `timestamp + timeoutSeconds`. */
  expiresAt?: IsoTime;
  /** Time of the command that recorded it (the service's clock, not the store's). */
  timestamp: IsoTime;
}

export interface LedgerAccountOpened {
  type: 'LedgerAccountOpened';
  data: {
    accountId: string;
    kind: AccountKind;
    currency: CurrencyCode;
    ledger: number;
    code: number;
    /** Empty for unflagged accounts; never both flags. Immutable after this event. */
    flags: AccountFlag[];
    timestamp: IsoTime;
  };
}

/**
 * A linked batch: all legs happened together, in this order. Balance effects per leg:
 * single → debitsPosted/creditsPosted += amount; pending → debitsPending/creditsPending += amount.
 */
export interface LedgerTransfersRecorded {
  type: 'LedgerTransfersRecorded';
  data: {
    /** The first leg's id (names the `ledger_transfer-` stream when the batch has no guarded side). */
    batchId: string;
    /** Canonical fingerprint of the whole batch request: a retry with the same ids must carry the same one. */
    fingerprint: string;
    transfers: TransferRecord[];
  };
}

/** The end of a pending transfer, common to post, void and expire. */
export interface PendingResolution {
  pendingId: string;
  debitAccountId: string;
  creditAccountId: string;
  /** The amount the pending reserved (what leaves debitsPending/creditsPending). */
  pendingAmount: AmountString;
  currency: CurrencyCode;
  ledger: number;
  code: number;
  timestamp: IsoTime;
}

/**
 * Posts `amount` (≤ pendingAmount) of a pending transfer: pending counters −= pendingAmount, posted counters += amount.
 * The rest is released. `id` is the post's own client-chosen transfer id.
 */
export interface LedgerPendingPosted {
  type: 'LedgerPendingPosted';
  data: PendingResolution & { id: string; amount: AmountString; fingerprint: string };
}

/** Releases a pending transfer: pending counters −= pendingAmount. `id` is the void's own transfer id. */
export interface LedgerPendingVoided {
  type: 'LedgerPendingVoided';
  data: PendingResolution & { id: string; fingerprint: string };
}

/** Releases a pending transfer whose timeout has passed (`timestamp` is the command's `now`). No client id. */
export interface LedgerPendingExpired {
  type: 'LedgerPendingExpired';
  data: PendingResolution & { expiresAt: IsoTime };
}

/**
 * A posted entry on a flagged account's *unguarded* side, recorded in another home stream and delivered here so the
 * account knows what it can spend: a credit for `debits_must_not_exceed_credits`, a debit for
 * `credits_must_not_exceed_debits`. It is a copy, not a new fact: balance projections must NOT count it (the
 * original LedgerTransfersRecorded/LedgerPendingPosted in `sourceStream` already did). Idempotent by transferId.
 */
export interface LedgerCreditApplied {
  type: 'LedgerCreditApplied';
  data: {
    /** The single-phase transfer's id, or the post's id for a posted pending. */
    transferId: string;
    accountId: string;
    side: 'credit' | 'debit';
    amount: AmountString;
    currency: CurrencyCode;
    sourceStream: string;
    /** Set when the entry comes from posting a pending transfer. */
    pendingId?: string;
    timestamp: IsoTime;
  };
}

/** Reserves a transfer id globally before it is written to its home stream. */
export interface TransferIdClaimed {
  type: 'TransferIdClaimed';
  data: {
    transferId: string;
    /** Fingerprint of the request that used the id (a batch, a post or a void). */
    fingerprint: string;
    /** Stream the transfer is (or will be) recorded in; also how a post/void/expire finds a pending's home. */
    homeStream: string;
    timestamp: IsoTime;
  };
}

/** Events of `ledger_account-` and `ledger_transfer-` streams. */
export type LedgerEvent =
  | LedgerAccountOpened
  | LedgerTransfersRecorded
  | LedgerCreditApplied
  | LedgerPendingPosted
  | LedgerPendingVoided
  | LedgerPendingExpired;

export type LedgerEventType = LedgerEvent['type'];

/** Events of `ledger_transferid-` streams. */
export type TransferIdEvent = TransferIdClaimed;

export const LEDGER_EVENT_TYPES: readonly LedgerEventType[] = [
  'LedgerAccountOpened',
  'LedgerTransfersRecorded',
  'LedgerCreditApplied',
  'LedgerPendingPosted',
  'LedgerPendingVoided',
  'LedgerPendingExpired',
];

/** Stream categories (no '-' inside, so KurrentDB's $by_category works). */
export const LEDGER_ACCOUNT_CATEGORY = 'ledger_account';
export const LEDGER_TRANSFER_CATEGORY = 'ledger_transfer';
export const LEDGER_TRANSFER_ID_CATEGORY = 'ledger_transferid';

export const accountStreamId = (accountId: string): string => `${LEDGER_ACCOUNT_CATEGORY}-${accountId}`;
export const transferStreamId = (transferId: string): string => `${LEDGER_TRANSFER_CATEGORY}-${transferId}`;
export const transferIdStreamId = (transferId: string): string => `${LEDGER_TRANSFER_ID_CATEGORY}-${transferId}`;
