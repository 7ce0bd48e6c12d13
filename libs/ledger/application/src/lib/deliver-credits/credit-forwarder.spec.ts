import { type AccountKind, type CreateTransfers, directoryOf, type TransferRequest } from '@smilepay/ledger/domain';
import type { SqliteEventStore } from '@smilepay/shared/eventstore';
import { ManualClock, TempEventStores, context, testId } from '../../testing/temp-event-store';
import { LedgerService } from '../ledger.service';
import { metadataFor } from '../streams/request-context';
import { LedgerStreams } from '../streams/ledger-streams';
import { CreditForwarder } from './credit-forwarder';

const stores = new TempEventStores();
afterAll(() => stores.dispose());

const wallet = testId('a', 1);
const merchant = testId('a', 2);
const external = testId('a', 3);
const tx = (n: number) => testId('b', n);
const leg = (
  n: number,
  debitAccountId: string,
  creditAccountId: string,
  amount: bigint,
  extra: Partial<TransferRequest> = {},
): TransferRequest => ({
  id: tx(n),
  debitAccountId,
  creditAccountId,
  amount,
  currency: 'EUR',
  ledger: 1,
  code: 1,
  kind: 'single',
  ...extra,
});

describe('CreditForwarder', () => {
  let store: SqliteEventStore;
  let ledger: LedgerService;
  let clock: ManualClock;

  /** What the service would have appended at home before dying, without its credit delivery. */
  async function recordWithoutDelivery(transfers: TransferRequest[]): Promise<void> {
    const accounts = await Promise.all(
      [wallet, merchant, external].map(async (id) => (await ledger.getAccountView(id)).account),
    );
    const command: CreateTransfers = {
      type: 'CreateTransfers',
      transfers,
      accounts: directoryOf(accounts),
      timestamp: clock.now(),
    };
    await new LedgerStreams(store).handleAtHome(`ledger_transfer-${transfers[0].id}`, command, metadataFor(context));
  }

  const readEverything = async () => (await store.readAll({ maxCount: 10_000 })).events;
  const creditsPosted = async () => (await ledger.getAccountView(wallet)).balances?.creditsPosted;

  beforeEach(async () => {
    store = stores.create();
    clock = new ManualClock();
    ledger = new LedgerService(store, { clock: clock.now });
    for (const [accountId, kind] of [
      [wallet, 'customer_wallet'],
      [merchant, 'merchant'],
      [external, 'external'],
    ] as Array<[string, AccountKind]>) {
      await ledger.openAccount({ accountId, kind, currency: 'EUR', ledger: 1, code: 1 }, context);
    }
  });

  it('delivers a credit the service never delivered, exactly once', async () => {
    await recordWithoutDelivery([leg(1, external, wallet, 700n)]);
    expect(await creditsPosted()).toBe(0n);
    const forwarder = new CreditForwarder(store);

    const first = await forwarder.forward(await readEverything());
    expect(first).toEqual({ eventsScanned: 1, delivered: 1, alreadyApplied: 0, failed: [] });
    expect(await creditsPosted()).toBe(700n);

    const second = await forwarder.forward(await readEverything());
    expect(second).toEqual({ eventsScanned: 1, delivered: 0, alreadyApplied: 1, failed: [] });
    expect(await creditsPosted()).toBe(700n);
  });

  it('changes nothing for credits the service already delivered, posts included', async () => {
    await ledger.createTransfers({ transfers: [leg(1, external, wallet, 500n, { kind: 'pending' })] }, context);
    await ledger.postPending({ id: tx(2), pendingId: tx(1), amount: 200n }, context);
    const head = await store.headPosition();
    const report = await new CreditForwarder(store).forward(await readEverything());
    expect(report).toEqual({ eventsScanned: 2, delivered: 0, alreadyApplied: 1, failed: [] });
    expect(await store.headPosition()).toBe(head);
    expect(await creditsPosted()).toBe(200n);
  });

  it('catches up and follows live through a subscription', async () => {
    await recordWithoutDelivery([leg(1, external, wallet, 100n)]);
    const subscription = store.subscribeToAll(new CreditForwarder(store).handler(), { pollIntervalMs: 5 });
    try {
      await recordWithoutDelivery([leg(2, external, wallet, 50n)]);
      await waitUntil(async () => (await creditsPosted()) === 150n);
    } finally {
      await subscription.stop();
    }
    expect(await creditsPosted()).toBe(150n);
  });
});

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
