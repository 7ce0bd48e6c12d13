import { type Balances, brokenFlag, type CurrencyCode, type LedgerEvent, balanceDeltasOf, zeroBalances } from '@smilepay/ledger/domain';
import type { EventStore, RecordedEvent } from '@smilepay/shared/eventstore';
import { scanAll } from '../read/scan-all';
import { type AccountState, addBalances, asLedgerEvent, type BalanceStrings, balanceStrings, openedAccount } from './ledger-fold';

export type InvariantViolationKind =
  /** An account's balance flag did not hold after an event. */
  | 'flag_broken'
  /** A counter went below zero (a reservation released twice, say). */
  | 'negative_counter'
  /** Per currency, total debits no longer equal total credits. */
  | 'unbalanced_currency'
  /** A leg moves money between accounts of another currency than its own. */
  | 'currency_mismatch'
  /** A transfer touches an account that was never opened (before it, in $all order). */
  | 'unknown_account'
  /** An account was opened twice with different definitions. */
  | 'account_redefined'
  /** An event whose data the ledger rules cannot read. */
  | 'malformed_event';

export interface InvariantViolation {
  kind: InvariantViolationKind;
  position: bigint;
  streamId: string;
  revision: bigint;
  eventId: string;
  eventType: string;
  accountId?: string;
  currency?: string;
  message: string;
}

export interface CurrencyTotals extends BalanceStrings {
  currency: string;
  accounts: number;
}

export interface InvariantReport {
  ok: boolean;
  upToPosition: bigint;
  eventsRead: number;
  ledgerEvents: number;
  accounts: number;
  /** Per-currency sums of every account's counters at the end: debits equal credits when the books balance. */
  currencies: CurrencyTotals[];
  violations: InvariantViolation[];
  truncated: boolean;
}

export interface InvariantOptions {
  upTo?: bigint;
  /** Most violations kept (default 1,000). */
  maxViolations?: number;
  onProgress?: (eventsRead: number, position: bigint, target: bigint) => void;
}

/**
 * Replays every ledger event in $all order and checks, after each one: every touched account's flag holds
 * (TigerBeetle's rule: pending debits count against the guarded side), no counter is negative, and per currency the
 * sum of all accounts' debits equals the sum of their credits (posted and pending), i.e. all balances sum to zero.
 */
export async function checkLedgerInvariants(store: EventStore, options: InvariantOptions = {}): Promise<InvariantReport> {
  const target = options.upTo ?? (await store.headPosition());
  const check = new LedgerInvariants(options.maxViolations ?? 1000);
  let eventsRead = 0;
  for await (const page of scanAll(store, { upTo: target, pageSize: 5000 })) {
    if (page.kind !== 'events') continue;
    for (const recorded of page.events) check.apply(recorded);
    eventsRead += page.events.length;
    options.onProgress?.(eventsRead, page.events[page.events.length - 1].position, target);
  }
  return check.report(target, eventsRead);
}

class LedgerInvariants {
  private readonly accounts = new Map<string, AccountState>();
  private readonly totals = new Map<CurrencyCode, Balances>();
  private readonly violations: InvariantViolation[] = [];
  private truncated = false;
  private ledgerEvents = 0;

  constructor(private readonly maxViolations: number) {}

  apply(recorded: RecordedEvent): void {
    const event = asLedgerEvent(recorded);
    if (event === undefined) return;
    this.ledgerEvents += 1;
    try {
      if (event.type === 'LedgerAccountOpened') this.open(recorded, event);
      else this.move(recorded, event);
    } catch (error) {
      this.violate(recorded, 'malformed_event', `cannot apply: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  report(upToPosition: bigint, eventsRead: number): InvariantReport {
    const currencies = [...this.totals.entries()].map(([currency, totals]) => ({
      currency,
      accounts: [...this.accounts.values()].filter((a) => a.definition.currency === currency).length,
      ...balanceStrings(totals),
    }));
    return {
      ok: this.violations.length === 0,
      upToPosition,
      eventsRead,
      ledgerEvents: this.ledgerEvents,
      accounts: this.accounts.size,
      currencies: currencies.sort((a, b) => a.currency.localeCompare(b.currency)),
      violations: this.violations,
      truncated: this.truncated,
    };
  }

  private open(recorded: RecordedEvent, event: LedgerEvent & { type: 'LedgerAccountOpened' }): void {
    const state = openedAccount(event, recorded.position);
    const existing = this.accounts.get(state.definition.id);
    if (existing === undefined) {
      this.accounts.set(state.definition.id, state);
      if (!this.totals.has(state.definition.currency)) this.totals.set(state.definition.currency, zeroBalances());
      return;
    }
    const same = JSON.stringify(existing.definition) === JSON.stringify(state.definition);
    if (!same) this.violate(recorded, 'account_redefined', `account opened again with another definition`, state.definition.id);
  }

  private move(recorded: RecordedEvent, event: LedgerEvent): void {
    this.checkCurrencies(recorded, event);
    const touched = new Set<AccountState>();
    for (const { accountId, ...change } of balanceDeltasOf(event)) {
      const state = this.accounts.get(accountId);
      if (state === undefined) {
        this.violate(recorded, 'unknown_account', `moves account ${accountId}, which was never opened`, accountId);
        continue;
      }
      addBalances(state.balances, change);
      addBalances(this.totals.get(state.definition.currency) as Balances, change);
      touched.add(state);
    }
    const currencies = new Set<CurrencyCode>();
    for (const state of touched) {
      currencies.add(state.definition.currency);
      const flag = brokenFlag(state.definition, state.balances);
      if (flag !== undefined) this.violate(recorded, 'flag_broken', `${flag} broken: ${show(state.balances)}`, state.definition.id);
      if (Object.values(state.balances).some((counter) => counter < 0n)) {
        this.violate(recorded, 'negative_counter', `a counter is negative: ${show(state.balances)}`, state.definition.id);
      }
    }
    for (const currency of currencies) {
      const totals = this.totals.get(currency) as Balances;
      if (totals.debitsPosted !== totals.creditsPosted || totals.debitsPending !== totals.creditsPending) {
        this.violate(recorded, 'unbalanced_currency', `${currency} totals no longer balance: ${show(totals)}`, undefined, currency);
      }
    }
  }

  /** Each leg's accounts must hold the transfer's currency, or money would be created in one and lost in another. */
  private checkCurrencies(recorded: RecordedEvent, event: LedgerEvent): void {
    const legs =
      event.type === 'LedgerTransfersRecorded'
        ? event.data.transfers
        : event.type === 'LedgerCreditApplied'
          ? []
          : [event.data as { debitAccountId: string; creditAccountId: string; currency: CurrencyCode }];
    for (const leg of legs) {
      for (const accountId of [leg.debitAccountId, leg.creditAccountId]) {
        const state = this.accounts.get(accountId);
        if (state !== undefined && state.definition.currency !== leg.currency) {
          this.violate(recorded, 'currency_mismatch', `a ${leg.currency} entry on a ${state.definition.currency} account`, accountId, leg.currency);
        }
      }
    }
  }

  private violate(recorded: RecordedEvent, kind: InvariantViolationKind, message: string, accountId?: string, currency?: string): void {
    if (this.violations.length >= this.maxViolations) {
      this.truncated = true;
      return;
    }
    this.violations.push({
      kind,
      position: recorded.position,
      streamId: recorded.streamId,
      revision: recorded.revision,
      eventId: recorded.id,
      eventType: recorded.type,
      accountId,
      currency,
      message,
    });
  }
}

function show(b: Balances): string {
  return `debits ${b.debitsPosted} posted + ${b.debitsPending} pending, credits ${b.creditsPosted} posted + ${b.creditsPending} pending`;
}
