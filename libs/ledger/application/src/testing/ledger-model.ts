import type { AccountFlag, AccountKind, Balances, CurrencyCode, TransferRequest } from '@smilepay/ledger/domain';
import { testId } from './temp-event-store';

/**
 * An independent reference model of the ledger for property tests: it predicts what the service must accept or
 * refuse and what every account's four counters must be, without using the domain's decision code.
 */
export interface ModelAccount {
  id: string;
  kind: AccountKind;
  currency: CurrencyCode;
  ledger: number;
  flags: AccountFlag[];
  /** False for the id no one ever opens (requests naming it must be refused as not found). */
  opened: boolean;
}

/**
 * The accounts of one property run: every kind, both flags, two currencies on two ledgers, and one id that is
 * never opened. `namespace` gives each run its own ids, so runs can share one store file.
 */
export function modelAccounts(namespace: number): ModelAccount[] {
  const id = (n: number) => testId('a', n, namespace);
  return [
    { id: id(0), kind: 'external', currency: 'EUR', ledger: 1, flags: [], opened: true },
    { id: id(1), kind: 'merchant', currency: 'EUR', ledger: 1, flags: [], opened: true },
    { id: id(2), kind: 'platform_fees', currency: 'EUR', ledger: 1, flags: [], opened: true },
    {
      id: id(3),
      kind: 'customer_wallet',
      currency: 'EUR',
      ledger: 1,
      flags: ['debits_must_not_exceed_credits'],
      opened: true,
    },
    {
      id: id(4),
      kind: 'customer_wallet',
      currency: 'EUR',
      ledger: 1,
      flags: ['debits_must_not_exceed_credits'],
      opened: true,
    },
    {
      id: id(5),
      kind: 'loss_reserve',
      currency: 'EUR',
      ledger: 1,
      flags: ['debits_must_not_exceed_credits'],
      opened: true,
    },
    {
      id: id(6),
      kind: 'merchant',
      currency: 'EUR',
      ledger: 1,
      flags: ['credits_must_not_exceed_debits'],
      opened: true,
    },
    { id: id(7), kind: 'external', currency: 'JPY', ledger: 2, flags: [], opened: true },
    {
      id: id(8),
      kind: 'customer_wallet',
      currency: 'JPY',
      ledger: 2,
      flags: ['debits_must_not_exceed_credits'],
      opened: true,
    },
    { id: id(9), kind: 'merchant', currency: 'EUR', ledger: 1, flags: [], opened: false },
  ];
}

/** Indices into modelAccounts(): who funds, who is guarded on the debit side. */
export const FUNDERS = [0, 7];
export const DEBIT_GUARDED = [3, 4, 5, 8];
export const CREDIT_GUARDED = 6;
export const ACCOUNT_COUNT = 10;

export const zero = (): Balances => ({ debitsPending: 0n, debitsPosted: 0n, creditsPending: 0n, creditsPosted: 0n });

export interface ModelPending {
  id: string;
  debitAccountId: string;
  creditAccountId: string;
  amount: bigint;
  expiresAtMs: number | undefined;
  status: 'pending' | 'posted' | 'voided' | 'expired';
}

/** What the model expects of a request: success, or a refusal identified by its codes or its error kinds. */
export type Expectation = { outcome: 'ok' } | { outcome: 'refused'; codes?: string[]; kinds?: string[] };

/** TigerBeetle's flag rule, written out independently of the domain's `brokenFlag`. */
export function breaksFlag(account: ModelAccount, b: Balances): boolean {
  if (account.flags.includes('debits_must_not_exceed_credits'))
    return b.debitsPending + b.debitsPosted > b.creditsPosted;
  if (account.flags.includes('credits_must_not_exceed_debits'))
    return b.creditsPending + b.creditsPosted > b.debitsPosted;
  return false;
}

export class LedgerModel {
  readonly balances: Map<string, Balances>;
  readonly pendings = new Map<string, ModelPending>();
  private readonly byId: Map<string, ModelAccount>;

  constructor(readonly accounts: readonly ModelAccount[]) {
    this.balances = new Map(accounts.map((a) => [a.id, zero()]));
    this.byId = new Map(accounts.map((a) => [a.id, a]));
  }

  accountById(id: string): ModelAccount | undefined {
    return this.byId.get(id);
  }

  /** Predicts a CreateTransfers batch against the current balances (valid when every credit has been delivered). */
  expectBatch(legs: readonly TransferRequest[]): Expectation {
    if (legs.some((leg) => !this.isWellFormed(leg))) return { outcome: 'refused', kinds: ['invalid', 'not_found'] };
    const guarded = new Set<string>();
    for (const leg of legs) {
      if (this.accountById(leg.debitAccountId)?.flags.includes('debits_must_not_exceed_credits'))
        guarded.add(leg.debitAccountId);
      if (this.accountById(leg.creditAccountId)?.flags.includes('credits_must_not_exceed_debits'))
        guarded.add(leg.creditAccountId);
    }
    if (guarded.size > 1) return { outcome: 'refused', codes: ['linked_batch_spans_guarded_accounts'] };
    const trial = new Map([...this.balances].map(([id, b]) => [id, { ...b }]));
    for (const leg of legs) {
      applyLeg(trial, leg);
      for (const id of [leg.debitAccountId, leg.creditAccountId]) {
        const account = this.accountById(id) as ModelAccount;
        if (breaksFlag(account, trial.get(id) as Balances))
          return { outcome: 'refused', codes: ['exceeds_credits', 'exceeds_debits'] };
      }
    }
    return { outcome: 'ok' };
  }

  recordBatch(legs: readonly TransferRequest[], nowMs: number): void {
    for (const leg of legs) {
      applyLeg(this.balances, leg);
      if (leg.kind !== 'pending') continue;
      const timeout = leg.timeoutSeconds ?? 0;
      this.pendings.set(leg.id, {
        id: leg.id,
        debitAccountId: leg.debitAccountId,
        creditAccountId: leg.creditAccountId,
        amount: leg.amount,
        expiresAtMs: timeout > 0 ? nowMs + timeout * 1000 : undefined,
        status: 'pending',
      });
    }
  }

  expectResolution(pending: ModelPending | undefined, nowMs: number, postAmount?: bigint): Expectation {
    if (pending === undefined) return { outcome: 'refused', codes: ['pending_transfer_not_found'] };
    if (pending.status !== 'pending')
      return { outcome: 'refused', codes: [`pending_transfer_already_${pending.status}`] };
    if (pending.expiresAtMs !== undefined && nowMs >= pending.expiresAtMs)
      return { outcome: 'refused', codes: ['pending_transfer_expired'] };
    if (postAmount !== undefined && postAmount > pending.amount)
      return { outcome: 'refused', codes: ['exceeds_pending_transfer_amount'] };
    return { outcome: 'ok' };
  }

  expectExpiry(pending: ModelPending | undefined, nowMs: number): Expectation & { replay?: boolean } {
    if (pending === undefined) return { outcome: 'refused', codes: ['pending_transfer_not_found'] };
    if (pending.status === 'expired') return { outcome: 'ok', replay: true };
    if (pending.status !== 'pending')
      return { outcome: 'refused', codes: [`pending_transfer_already_${pending.status}`] };
    if (pending.expiresAtMs === undefined) return { outcome: 'refused', codes: ['pending_transfer_has_no_timeout'] };
    if (nowMs < pending.expiresAtMs) return { outcome: 'refused', codes: ['pending_transfer_not_expired'] };
    return { outcome: 'ok' };
  }

  /** Ends a reservation: both pending counters drop by its amount; a post adds `posted` to both posted counters. */
  resolve(pending: ModelPending, status: 'posted' | 'voided' | 'expired', posted = 0n): void {
    const debit = this.balances.get(pending.debitAccountId) as Balances;
    const credit = this.balances.get(pending.creditAccountId) as Balances;
    debit.debitsPending -= pending.amount;
    credit.creditsPending -= pending.amount;
    debit.debitsPosted += posted;
    credit.creditsPosted += posted;
    pending.status = status;
  }

  private isWellFormed(leg: TransferRequest): boolean {
    const debit = this.accountById(leg.debitAccountId);
    const credit = this.accountById(leg.creditAccountId);
    return (
      leg.amount > 0n &&
      leg.debitAccountId !== leg.creditAccountId &&
      debit?.opened === true &&
      credit?.opened === true &&
      debit.currency === leg.currency &&
      credit.currency === leg.currency
    );
  }
}

function applyLeg(balances: Map<string, Balances>, leg: TransferRequest): void {
  const debit = balances.get(leg.debitAccountId) as Balances;
  const credit = balances.get(leg.creditAccountId) as Balances;
  if (leg.kind === 'pending') {
    debit.debitsPending += leg.amount;
    credit.creditsPending += leg.amount;
  } else {
    debit.debitsPosted += leg.amount;
    credit.creditsPosted += leg.amount;
  }
}
