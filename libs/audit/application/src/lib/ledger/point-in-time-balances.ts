import { balanceDeltasOf } from '@smilepay/ledger/domain';
import type { EventStore } from '@smilepay/shared/eventstore';
import { scanAll } from '../read/scan-all';
import { lastPositionAtOrBefore } from '../read/time-index';
import { type AccountState, addBalances, asLedgerEvent, type BalanceStrings, balanceStrings, openedAccount } from './ledger-fold';

export type AsOf = { position: bigint } | { time: Date };

export interface AccountBalanceAsOf {
  accountId: string;
  /** Undefined when the account was not opened yet at that point. */
  account?: {
    kind: string;
    currency: string;
    flags: string[];
    openedAtPosition: string;
  };
  balances: BalanceStrings;
  /** Events that moved this account's counters up to the point. */
  entries: number;
}

export interface BalancesAsOf {
  /** All events with position <= asOfPosition are included. */
  asOfPosition: bigint;
  /** The time asked for, when the point was given as a time. */
  asOfTime?: string;
  eventsRead: number;
  accounts: AccountBalanceAsOf[];
}

/**
 * TigerBeetle's four counters of the given accounts as they stood at a position or time, folded from $all with the
 * same balance rules as the projection (ledger domain's balanceDeltasOf). Independent of any read model.
 */
export async function balancesAsOf(
  store: EventStore,
  accountIds: readonly string[],
  asOf: AsOf,
  options: { onProgress?: (eventsRead: number, position: bigint, target: bigint) => void } = {},
): Promise<BalancesAsOf> {
  if (accountIds.length === 0) throw new RangeError('name at least one account');
  const target = 'position' in asOf ? asOf.position : await lastPositionAtOrBefore(store, asOf.time);
  const wanted = new Set(accountIds);
  const states = new Map<string, AccountState>();
  const entries = new Map<string, number>();
  let eventsRead = 0;
  for await (const page of scanAll(store, { upTo: target, pageSize: 5000 })) {
    if (page.kind !== 'events') continue;
    for (const recorded of page.events) {
      const event = asLedgerEvent(recorded);
      if (event === undefined) continue;
      if (event.type === 'LedgerAccountOpened' && wanted.has(event.data.accountId) && !states.has(event.data.accountId)) {
        states.set(event.data.accountId, openedAccount(event, recorded.position));
      }
      for (const { accountId, ...change } of balanceDeltasOf(event)) {
        const state = wanted.has(accountId) ? states.get(accountId) : undefined;
        if (state === undefined) continue;
        addBalances(state.balances, change);
        entries.set(accountId, (entries.get(accountId) ?? 0) + 1);
      }
    }
    eventsRead += page.events.length;
    options.onProgress?.(eventsRead, page.events[page.events.length - 1].position, target);
  }
  return {
    asOfPosition: target,
    asOfTime: 'time' in asOf ? asOf.time.toISOString() : undefined,
    eventsRead,
    accounts: accountIds.map((accountId) => describe(accountId, states.get(accountId), entries.get(accountId) ?? 0)),
  };
}

function describe(accountId: string, state: AccountState | undefined, entries: number): AccountBalanceAsOf {
  if (state === undefined) return { accountId, balances: balanceStrings({ debitsPending: 0n, debitsPosted: 0n, creditsPending: 0n, creditsPosted: 0n }), entries };
  const { definition } = state;
  return {
    accountId,
    account: {
      kind: definition.kind,
      currency: definition.currency,
      flags: [...definition.flags],
      openedAtPosition: state.openedAt.position.toString(),
    },
    balances: balanceStrings(state.balances),
    entries,
  };
}
