import type { AccountDirectory, AccountFlag, AccountKind, Side } from './account';
import type { IsoTime, TransferKind } from './events';
import type { CurrencyCode } from './money';

/**
 * Commands of the ledger deciders. Amounts are bigint minor units; times are ISO-8601 strings chosen by the caller
 * (the domain never reads a clock). Commands that need other accounts' definitions carry them in `accounts`: the
 * application resolves them, the decider validates against them.
 */

export interface OpenAccount {
  type: 'OpenAccount';
  accountId: string;
  kind: AccountKind;
  currency: CurrencyCode;
  ledger: number;
  code: number;
  /** Omitted: the kind's default (wallets and the loss reserve cannot spend more than they hold). */
  flags?: readonly AccountFlag[];
  timestamp: IsoTime;
}

/** One leg of a CreateTransfers batch, as the client sent it. */
export interface TransferRequest {
  id: string;
  debitAccountId: string;
  creditAccountId: string;
  amount: bigint;
  currency: CurrencyCode;
  ledger: number;
  code: number;
  kind: TransferKind;
  /** Pending only; omitted or 0 means the reservation never expires. */
  timeoutSeconds?: number;
}

/** A linked batch: every leg is recorded, in order, or none is. */
export interface CreateTransfers {
  type: 'CreateTransfers';
  transfers: readonly TransferRequest[];
  accounts: AccountDirectory;
  timestamp: IsoTime;
}

/** Posts a pending transfer, fully (amount omitted) or partially; the rest of the reservation is released. */
export interface PostPending {
  type: 'PostPending';
  /** The post's own client-chosen transfer id. */
  id: string;
  pendingId: string;
  amount?: bigint;
  timestamp: IsoTime;
}

export interface VoidPending {
  type: 'VoidPending';
  id: string;
  pendingId: string;
  timestamp: IsoTime;
}

/** Releases a pending transfer whose timeout has passed at `now`. Issued by the expiry sweeper; no client id. */
export interface ExpirePending {
  type: 'ExpirePending';
  pendingId: string;
  now: IsoTime;
}

/** Delivers to a flagged account a posted entry on its unguarded side that was recorded in another home stream. */
export interface ApplyCredit {
  type: 'ApplyCredit';
  transferId: string;
  accountId: string;
  side: Side;
  amount: bigint;
  currency: CurrencyCode;
  sourceStream: string;
  pendingId?: string;
  timestamp: IsoTime;
}

export type LedgerCommand = OpenAccount | CreateTransfers | PostPending | VoidPending | ExpirePending | ApplyCredit;

/** Claims a transfer id globally (`ledger_transferid-<id>`) before its request is written to its home stream. */
export interface ClaimTransferId {
  type: 'ClaimTransferId';
  transferId: string;
  fingerprint: string;
  homeStream: string;
  timestamp: IsoTime;
}
