import {
  type AccountDefinition,
  type Balances,
  LEDGER_EVENT_TYPES,
  type LedgerEvent,
  zeroBalances,
} from '@smilepay/ledger/domain';
import type { RecordedEvent } from '@smilepay/shared/eventstore';

/** A recorded event as a ledger event, or undefined for every other type. */
export function asLedgerEvent(event: Pick<RecordedEvent, 'type' | 'data'>): LedgerEvent | undefined {
  return (LEDGER_EVENT_TYPES as readonly string[]).includes(event.type) ? ({ type: event.type, data: event.data } as LedgerEvent) : undefined;
}

/** Wire spelling of the four counters. */
export interface BalanceStrings {
  debitsPending: string;
  debitsPosted: string;
  creditsPending: string;
  creditsPosted: string;
}

export function balanceStrings(balances: Balances): BalanceStrings {
  return {
    debitsPending: balances.debitsPending.toString(),
    debitsPosted: balances.debitsPosted.toString(),
    creditsPending: balances.creditsPending.toString(),
    creditsPosted: balances.creditsPosted.toString(),
  };
}

export function addBalances(into: Balances, change: Balances): void {
  into.debitsPending += change.debitsPending;
  into.debitsPosted += change.debitsPosted;
  into.creditsPending += change.creditsPending;
  into.creditsPosted += change.creditsPosted;
}

export interface AccountState {
  definition: AccountDefinition;
  openedAt: { position: bigint; timestamp: string };
  balances: Balances;
}

export function openedAccount(event: LedgerEvent & { type: 'LedgerAccountOpened' }, position: bigint): AccountState {
  const { accountId, kind, currency, ledger, code, flags, timestamp } = event.data;
  return {
    definition: { id: accountId, kind, currency, ledger, code, flags: [...flags] },
    openedAt: { position, timestamp },
    balances: zeroBalances(),
  };
}
