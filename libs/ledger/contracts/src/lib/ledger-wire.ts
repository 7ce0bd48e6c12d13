/**
 * Ledger wire types for the HTTP API and the dashboard. Amounts are decimal strings of minor units ("1050" is
 * 10.50 EUR): JSON numbers lose precision past 2^53 and invite float arithmetic, so money never travels as one.
 * Times are ISO-8601 UTC strings. This file imports nothing, so browsers and servers share it as is.
 */

/** Decimal string of minor units: digits only, no sign, no leading zeros ("0" only for balances). */
export type MinorAmount = string;
export type IsoTimestamp = string;

export const LEDGER_CURRENCIES = ['EUR', 'USD', 'GBP', 'CNY', 'JPY'] as const;
export type LedgerCurrency = (typeof LEDGER_CURRENCIES)[number];

/** Digits after the decimal point for display, per currency. */
export const LEDGER_CURRENCY_SCALES: Readonly<Record<LedgerCurrency, number>> = {
  EUR: 2,
  USD: 2,
  GBP: 2,
  CNY: 2,
  JPY: 0,
};

export const LEDGER_ACCOUNT_KINDS = [
  'customer_wallet',
  'merchant',
  'platform_fees',
  'loss_reserve',
  'external',
] as const;
export type LedgerAccountKind = (typeof LEDGER_ACCOUNT_KINDS)[number];

export const LEDGER_ACCOUNT_FLAGS = ['debits_must_not_exceed_credits', 'credits_must_not_exceed_debits'] as const;
export type LedgerAccountFlag = (typeof LEDGER_ACCOUNT_FLAGS)[number];

export type TransferKindDto = 'single' | 'pending';

/** POST /v1/ledger/accounts */
export interface OpenAccountRequest {
  accountId: string;
  kind: LedgerAccountKind;
  currency: LedgerCurrency;
  ledger: number;
  code: number;
  /** Omitted: the kind's default (wallets and the loss reserve get debits_must_not_exceed_credits). */
  flags?: LedgerAccountFlag[];
}

export interface BalancesDto {
  debitsPending: MinorAmount;
  debitsPosted: MinorAmount;
  creditsPending: MinorAmount;
  creditsPosted: MinorAmount;
}

export interface AccountDto {
  id: string;
  kind: LedgerAccountKind;
  currency: LedgerCurrency;
  ledger: number;
  code: number;
  flags: LedgerAccountFlag[];
  /** The account stream's own view, flagged accounts only (a lower bound on credits until all are delivered). */
  balances?: BalancesDto;
}

/** One leg of POST /v1/ledger/transfers. */
export interface TransferRequestDto {
  id: string;
  debitAccountId: string;
  creditAccountId: string;
  amount: MinorAmount;
  currency: LedgerCurrency;
  ledger: number;
  code: number;
  kind: TransferKindDto;
  /** Pending only; omitted or 0: never expires. */
  timeoutSeconds?: number;
}

/** A linked batch: all legs or none. */
export interface CreateTransfersRequest {
  transfers: TransferRequestDto[];
}

export interface TransferDto {
  id: string;
  debitAccountId: string;
  creditAccountId: string;
  amount: MinorAmount;
  currency: LedgerCurrency;
  ledger: number;
  code: number;
  kind: TransferKindDto;
  timeoutSeconds: number;
  expiresAt?: IsoTimestamp;
  timestamp: IsoTimestamp;
}

export interface CreateTransfersResponse {
  transfers: TransferDto[];
  /** True when this request repeated one already recorded (same ids, same fields): nothing new happened. */
  replayed: boolean;
}

/** POST /v1/ledger/transfers/:pendingId/post */
export interface PostPendingRequest {
  id: string;
  /** Omitted: the full pending amount. */
  amount?: MinorAmount;
}

/** POST /v1/ledger/transfers/:pendingId/void */
export interface VoidPendingRequest {
  id: string;
}

export interface PendingResolutionDto {
  /** The post's or void's own id; absent for an expiry. */
  id?: string;
  pendingId: string;
  outcome: 'posted' | 'voided' | 'expired';
  debitAccountId: string;
  creditAccountId: string;
  pendingAmount: MinorAmount;
  /** Posted amount (posts only). */
  amount?: MinorAmount;
  currency: LedgerCurrency;
  timestamp: IsoTimestamp;
  replayed: boolean;
}

/** Error body: `code` is stable (e.g. exceeds_credits, transfer_id_reused), `message` is for humans. */
export interface LedgerErrorDto {
  code: string;
  kind: 'invalid' | 'forbidden' | 'not_found' | 'conflict' | 'precondition';
  message: string;
  details?: Record<string, unknown>;
}

const MINOR_AMOUNT = /^(0|[1-9][0-9]{0,18})$/;

/** True for a well-spelled minor-unit string; the server re-checks the range (at most 2^63 − 1). */
export function isMinorAmount(value: unknown): value is MinorAmount {
  return typeof value === 'string' && MINOR_AMOUNT.test(value);
}

/** Display helper for dashboards: "1050" EUR → "10.50". Works on the string, so no precision is lost. */
export function formatMinorAmount(amount: MinorAmount, currency: LedgerCurrency): string {
  const negative = amount.startsWith('-');
  const digits = negative ? amount.slice(1) : amount;
  const scale = LEDGER_CURRENCY_SCALES[currency];
  if (scale === 0) return amount;
  const padded = digits.padStart(scale + 1, '0');
  return `${negative ? '-' : ''}${padded.slice(0, -scale)}.${padded.slice(-scale)}`;
}
