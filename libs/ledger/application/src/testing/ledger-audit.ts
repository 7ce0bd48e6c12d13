import { type Balances, balanceDeltasOf } from '@smilepay/ledger/domain';
import type { EventStore } from '@smilepay/shared/eventstore';
import { decodeLedgerEvent } from '../lib/streams/ledger-codecs';
import { type ModelAccount, breaksFlag, zero } from './ledger-model';

/**
 * Replays the store's `$all` log the way the balances projection does, and checks the ledger's invariants after
 * every single event: flags hold, no counter goes negative, and per currency debits equal credits.
 */
export class LedgerAudit {
  readonly projected: Map<string, Balances>;

  /** `after`: the store position before the run's first event (runs share a store, one after another). */
  constructor(
    private readonly store: EventStore,
    private readonly accounts: readonly ModelAccount[],
    private lastPosition: bigint,
  ) {
    this.projected = new Map(accounts.map((a) => [a.id, zero()]));
  }

  /** Folds the events appended since the last call; returns their stream ids and types. */
  async catchUp(): Promise<Array<{ streamId: string; type: string }>> {
    const seen: Array<{ streamId: string; type: string }> = [];
    for (;;) {
      const page = await this.store.readAll({ after: this.lastPosition, maxCount: 500 });
      for (const record of page.events) {
        seen.push({ streamId: record.streamId, type: record.type });
        const event = decodeLedgerEvent(record);
        if (event === undefined && record.type !== 'TransferIdClaimed')
          throw new Error(`unknown event type ${record.type}`);
        if (event !== undefined) this.apply(balanceDeltasOf(event), `${record.type} at ${record.position}`);
      }
      this.lastPosition = page.lastPosition;
      if (page.isEnd) return seen;
    }
  }

  private apply(deltas: ReturnType<typeof balanceDeltasOf>, where: string): void {
    for (const delta of deltas) {
      const b = this.projected.get(delta.accountId);
      if (b === undefined) throw new Error(`${where}: unknown account ${delta.accountId}`);
      b.debitsPending += delta.debitsPending;
      b.debitsPosted += delta.debitsPosted;
      b.creditsPending += delta.creditsPending;
      b.creditsPosted += delta.creditsPosted;
    }
    for (const account of this.accounts) {
      const b = this.projected.get(account.id) as Balances;
      if (breaksFlag(account, b))
        throw new Error(`${where}: ${account.kind} ${account.id} breaks ${account.flags[0]}: ${show(b)}`);
      if (Object.values(b).some((counter) => counter < 0n))
        throw new Error(`${where}: negative counter on ${account.id}: ${show(b)}`);
    }
    this.assertDoubleEntry(where);
  }

  private assertDoubleEntry(where: string): void {
    const sums = new Map<string, Balances>();
    for (const account of this.accounts) {
      const b = this.projected.get(account.id) as Balances;
      const sum = sums.get(account.currency) ?? zero();
      sum.debitsPending += b.debitsPending;
      sum.debitsPosted += b.debitsPosted;
      sum.creditsPending += b.creditsPending;
      sum.creditsPosted += b.creditsPosted;
      sums.set(account.currency, sum);
    }
    for (const [currency, s] of sums) {
      if (s.debitsPosted !== s.creditsPosted || s.debitsPending !== s.creditsPending) {
        throw new Error(`${where}: ${currency} does not balance: ${show(s)}`);
      }
    }
  }
}

export const show = (b: Balances): string =>
  `dP=${b.debitsPending} dp=${b.debitsPosted} cP=${b.creditsPending} cp=${b.creditsPosted}`;
