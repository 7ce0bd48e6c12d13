import type { CurrencyCode } from './money';

/** Account kinds. `external` is the outside world (funding, settlement) and may go negative. */
export const ACCOUNT_KINDS = ['customer_wallet', 'merchant', 'platform_fees', 'loss_reserve', 'external'] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

/** TigerBeetle's balance flags. An account has at most one of them. */
export const ACCOUNT_FLAGS = ['debits_must_not_exceed_credits', 'credits_must_not_exceed_debits'] as const;
export type AccountFlag = (typeof ACCOUNT_FLAGS)[number];

export type Side = 'debit' | 'credit';

/** What never changes after LedgerAccountOpened: enough to route and validate any transfer touching the account. */
export interface AccountDefinition {
  id: string;
  kind: AccountKind;
  currency: CurrencyCode;
  ledger: number;
  code: number;
  flags: readonly AccountFlag[];
}

/** Account definitions a command may touch, resolved by the application before calling the decider. */
export type AccountDirectory = ReadonlyMap<string, AccountDefinition>;

/** TigerBeetle's four counters, in minor units. */
export interface Balances {
  debitsPending: bigint;
  debitsPosted: bigint;
  creditsPending: bigint;
  creditsPosted: bigint;
}

export const zeroBalances = (): Balances => ({
  debitsPending: 0n,
  debitsPosted: 0n,
  creditsPending: 0n,
  creditsPosted: 0n,
});

export function isAccountKind(value: unknown): value is AccountKind {
  return typeof value === 'string' && (ACCOUNT_KINDS as readonly string[]).includes(value);
}

export function isAccountFlag(value: unknown): value is AccountFlag {
  return typeof value === 'string' && (ACCOUNT_FLAGS as readonly string[]).includes(value);
}

/** Wallets and the loss reserve can only spend what they hold; everything else is unflagged unless asked. */
export function defaultFlagsFor(kind: AccountKind): AccountFlag[] {
  return kind === 'customer_wallet' || kind === 'loss_reserve' ? ['debits_must_not_exceed_credits'] : [];
}

/**
 * The side whose entries could break the account's flag, hence must be serialised in its stream; undefined for an
 * unflagged account.
 */
export function guardedSide(account: Pick<AccountDefinition, 'flags'>): Side | undefined {
  if (account.flags.includes('debits_must_not_exceed_credits')) return 'debit';
  if (account.flags.includes('credits_must_not_exceed_debits')) return 'credit';
  return undefined;
}

/** The side that only ever helps the flag (credits for a spend-limited wallet): delivered as LedgerCreditApplied. */
export function unguardedSide(account: Pick<AccountDefinition, 'flags'>): Side | undefined {
  const guarded = guardedSide(account);
  if (guarded === undefined) return undefined;
  return guarded === 'debit' ? 'credit' : 'debit';
}

/**
 * The flag that these balances break, if any. Pending amounts count against the guarded side (a reservation is a
 * promise) but not for it (a pending credit may still be voided): TigerBeetle's rule.
 */
export function brokenFlag(account: Pick<AccountDefinition, 'flags'>, balances: Balances): AccountFlag | undefined {
  if (
    account.flags.includes('debits_must_not_exceed_credits') &&
    balances.debitsPending + balances.debitsPosted > balances.creditsPosted
  ) {
    return 'debits_must_not_exceed_credits';
  }
  if (
    account.flags.includes('credits_must_not_exceed_debits') &&
    balances.creditsPending + balances.creditsPosted > balances.debitsPosted
  ) {
    return 'credits_must_not_exceed_debits';
  }
  return undefined;
}

export function sameDefinition(a: AccountDefinition, b: AccountDefinition): boolean {
  return (
    a.id === b.id &&
    a.kind === b.kind &&
    a.currency === b.currency &&
    a.ledger === b.ledger &&
    a.code === b.code &&
    a.flags.length === b.flags.length &&
    a.flags.every((flag) => b.flags.includes(flag))
  );
}

export function directoryOf(definitions: Iterable<AccountDefinition>): AccountDirectory {
  return new Map([...definitions].map((definition) => [definition.id, definition]));
}
