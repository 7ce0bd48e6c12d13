import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LedgerService } from '@smilepay/ledger/application';
import type { Balances, TransferRequest } from '@smilepay/ledger/domain';
import { openSqliteEventStore, type SqliteEventStore } from '@smilepay/shared/eventstore';

/** Readable uuids: the tag in the last group says what the id is for. */
export const id = (tag: string, n = 0): string => `00000000-0000-4000-8000-${tag}${String(n).padStart(12 - tag.length, '0')}`;

export const ACCOUNTS = {
  external: id('e'),
  alice: id('a'),
  bob: id('b'),
  merchant: id('d'),
  fees: id('f'),
  externalJpy: id('ee'),
  carol: id('c'),
} as const;
export type AccountName = keyof typeof ACCOUNTS;

const context = { correlationId: id('c0de'), actor: 'system:audit-test' };

/** Where the store stood after each step, and a time between that step and the next. */
export interface Mark {
  position: bigint;
  timeAfter: Date;
}

/** [debitsPending, debitsPosted, creditsPending, creditsPosted] in minor units. */
type Counters = readonly [bigint, bigint, bigint, bigint];
const ZERO: Counters = [0n, 0n, 0n, 0n];

/**
 * Every account's counters after each step, worked out by hand (not by running any ledger code):
 * 0. accounts opened: all zero
 * 1. top-up: external → alice 100.00 EUR
 * 2. top-up: external → bob 50.00 EUR
 * 3. payment, one linked batch from alice: 29.00 to the merchant and a 1.00 fee
 * 4. bob reserves 20.00 for the merchant (pending)
 * 5. the merchant posts 15.00 of it; the other 5.00 is released back to bob
 * 6. refund: merchant → alice 10.00
 * 7. top-up in yen: external JPY → carol 5000 JPY
 */
export const EXPECTED: Record<AccountName, Counters>[] = [
  {
    external: ZERO,
    alice: ZERO,
    bob: ZERO,
    merchant: ZERO,
    fees: ZERO,
    externalJpy: ZERO,
    carol: ZERO,
  },
  {
    external: [0n, 10000n, 0n, 0n],
    alice: [0n, 0n, 0n, 10000n],
    bob: ZERO,
    merchant: ZERO,
    fees: ZERO,
    externalJpy: ZERO,
    carol: ZERO,
  },
  {
    external: [0n, 15000n, 0n, 0n],
    alice: [0n, 0n, 0n, 10000n],
    bob: [0n, 0n, 0n, 5000n],
    merchant: ZERO,
    fees: ZERO,
    externalJpy: ZERO,
    carol: ZERO,
  },
  {
    external: [0n, 15000n, 0n, 0n],
    alice: [0n, 3000n, 0n, 10000n],
    bob: [0n, 0n, 0n, 5000n],
    merchant: [0n, 0n, 0n, 2900n],
    fees: [0n, 0n, 0n, 100n],
    externalJpy: ZERO,
    carol: ZERO,
  },
  {
    external: [0n, 15000n, 0n, 0n],
    alice: [0n, 3000n, 0n, 10000n],
    bob: [2000n, 0n, 0n, 5000n],
    merchant: [0n, 0n, 2000n, 2900n],
    fees: [0n, 0n, 0n, 100n],
    externalJpy: ZERO,
    carol: ZERO,
  },
  {
    external: [0n, 15000n, 0n, 0n],
    alice: [0n, 3000n, 0n, 10000n],
    bob: [0n, 1500n, 0n, 5000n],
    merchant: [0n, 0n, 0n, 4400n],
    fees: [0n, 0n, 0n, 100n],
    externalJpy: ZERO,
    carol: ZERO,
  },
  {
    external: [0n, 15000n, 0n, 0n],
    alice: [0n, 3000n, 0n, 11000n],
    bob: [0n, 1500n, 0n, 5000n],
    merchant: [0n, 1000n, 0n, 4400n],
    fees: [0n, 0n, 0n, 100n],
    externalJpy: ZERO,
    carol: ZERO,
  },
  {
    external: [0n, 15000n, 0n, 0n],
    alice: [0n, 3000n, 0n, 11000n],
    bob: [0n, 1500n, 0n, 5000n],
    merchant: [0n, 1000n, 0n, 4400n],
    fees: [0n, 0n, 0n, 100n],
    externalJpy: [0n, 5000n, 0n, 0n],
    carol: [0n, 0n, 0n, 5000n],
  },
];

export function expectedCounters(counters: Counters): Record<keyof Balances, string> {
  const [debitsPending, debitsPosted, creditsPending, creditsPosted] = counters.map(String);
  return { debitsPending, debitsPosted, creditsPending, creditsPosted };
}

const transfer = (
  n: number,
  debit: AccountName,
  credit: AccountName,
  amount: bigint,
  extra: Partial<TransferRequest> = {},
): TransferRequest => ({
  id: id('7', n),
  debitAccountId: ACCOUNTS[debit],
  creditAccountId: ACCOUNTS[credit],
  amount,
  currency: 'EUR',
  ledger: 1,
  code: 1,
  kind: 'single',
  ...extra,
});

export class LedgerScenario {
  readonly dir = mkdtempSync(join(tmpdir(), 'smilepay-audit-'));
  readonly storeFile = join(this.dir, 'events.sqlite');
  readonly store: SqliteEventStore = openSqliteEventStore(this.storeFile);
  readonly ledger = new LedgerService(this.store);
  readonly marks: Mark[] = [];

  /** Runs the seven steps, marking the store's head after each (and after opening the accounts). */
  async run(): Promise<this> {
    const open = (
      accountId: string,
      kind: 'external' | 'customer_wallet' | 'merchant' | 'platform_fees',
      currency: 'EUR' | 'JPY' = 'EUR',
    ) =>
      this.ledger.openAccount(
        {
          accountId,
          kind,
          currency,
          ledger: currency === 'EUR' ? 1 : 2,
          code: 1,
        },
        context,
      );
    await open(ACCOUNTS.external, 'external');
    await open(ACCOUNTS.alice, 'customer_wallet');
    await open(ACCOUNTS.bob, 'customer_wallet');
    await open(ACCOUNTS.merchant, 'merchant');
    await open(ACCOUNTS.fees, 'platform_fees');
    await open(ACCOUNTS.externalJpy, 'external', 'JPY');
    await open(ACCOUNTS.carol, 'customer_wallet', 'JPY');
    await this.mark();
    const steps: (() => Promise<unknown>)[] = [
      () => this.ledger.createTransfers({ transfers: [transfer(1, 'external', 'alice', 10000n)] }, context),
      () => this.ledger.createTransfers({ transfers: [transfer(2, 'external', 'bob', 5000n)] }, context),
      () =>
        this.ledger.createTransfers(
          {
            transfers: [transfer(3, 'alice', 'merchant', 2900n), transfer(4, 'alice', 'fees', 100n)],
          },
          context,
        ),
      () =>
        this.ledger.createTransfers(
          {
            transfers: [transfer(5, 'bob', 'merchant', 2000n, { kind: 'pending' })],
          },
          context,
        ),
      () => this.ledger.postPending({ id: id('7', 6), pendingId: id('7', 5), amount: 1500n }, context),
      () => this.ledger.createTransfers({ transfers: [transfer(7, 'merchant', 'alice', 1000n)] }, context),
      () =>
        this.ledger.createTransfers(
          {
            transfers: [
              transfer(8, 'externalJpy', 'carol', 5000n, {
                currency: 'JPY',
                ledger: 2,
              }),
            ],
          },
          context,
        ),
    ];
    for (const step of steps) {
      await step();
      await this.mark();
    }
    return this;
  }

  async dispose(): Promise<void> {
    await this.store.close();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Records the head, then leaves a gap in recordedAt so a time between two steps is unambiguous. */
  private async mark(): Promise<void> {
    const position = await this.store.headPosition();
    await sleep(15);
    const timeAfter = new Date();
    await sleep(15);
    this.marks.push({ position, timeAfter });
  }
}
