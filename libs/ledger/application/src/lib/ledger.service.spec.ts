import type { AccountKind, TransferRequest } from '@smilepay/ledger/domain';
import type { SqliteEventStore } from '@smilepay/shared/eventstore';
import { ManualClock, TempEventStores, context, testId } from '../testing/temp-event-store';
import { LedgerService } from './ledger.service';

const stores = new TempEventStores();
afterAll(() => stores.dispose());

const wallet = testId('a', 1);
const otherWallet = testId('a', 2);
const merchant = testId('a', 3);
const external = testId('a', 4);
const tx = (n: number) => testId('b', n);

function leg(
  n: number,
  debitAccountId: string,
  creditAccountId: string,
  amount: bigint,
  extra: Partial<TransferRequest> = {},
): TransferRequest {
  return {
    id: tx(n),
    debitAccountId,
    creditAccountId,
    amount,
    currency: 'EUR',
    ledger: 1,
    code: 1,
    kind: 'single',
    ...extra,
  };
}

describe('LedgerService (real SQLite store)', () => {
  let store: SqliteEventStore;
  let clock: ManualClock;
  let ledger: LedgerService;

  const open = (accountId: string, kind: AccountKind) =>
    ledger.openAccount({ accountId, kind, currency: 'EUR', ledger: 1, code: 1 }, context);
  const balancesOf = async (accountId: string) => (await ledger.getAccountView(accountId)).balances;
  const streamTypes = async (streamId: string) => (await store.readStream(streamId)).map((e) => e.type);

  beforeEach(async () => {
    store = stores.create();
    clock = new ManualClock();
    ledger = new LedgerService(store, { clock: clock.now });
    for (const [id, kind] of [
      [wallet, 'customer_wallet'],
      [otherWallet, 'customer_wallet'],
      [merchant, 'merchant'],
      [external, 'external'],
    ] as const) {
      await open(id, kind);
    }
  });

  describe('openAccount', () => {
    it('opens once and reports a retry as not created', async () => {
      const again = await open(wallet, 'customer_wallet');
      expect(again).toEqual({
        account: expect.objectContaining({ id: wallet, flags: ['debits_must_not_exceed_credits'] }),
        created: false,
      });
      expect(await streamTypes(`ledger_account-${wallet}`)).toEqual(['LedgerAccountOpened']);
      await expect(open(wallet, 'merchant')).rejects.toMatchObject({ code: 'account_id_reused', kind: 'conflict' });
    });
  });

  describe('createTransfers', () => {
    it('records a top-up in its own stream and delivers the credit to the wallet', async () => {
      const result = await ledger.createTransfers({ transfers: [leg(1, external, wallet, 1000n)] }, context);
      expect(result).toMatchObject({ homeStream: `ledger_transfer-${tx(1)}`, replayed: false });
      expect(result.transfers).toEqual([
        expect.objectContaining({ id: tx(1), amount: '1000', kind: 'single', timestamp: clock.now() }),
      ]);
      expect(await streamTypes(`ledger_transferid-${tx(1)}`)).toEqual(['TransferIdClaimed']);
      expect(await streamTypes(`ledger_account-${wallet}`)).toEqual(['LedgerAccountOpened', 'LedgerCreditApplied']);
      expect(await balancesOf(wallet)).toEqual({
        debitsPending: 0n,
        debitsPosted: 0n,
        creditsPending: 0n,
        creditsPosted: 1000n,
      });
    });

    it('records a payment in the wallet stream and refuses an overdraft without appending', async () => {
      await ledger.createTransfers({ transfers: [leg(1, external, wallet, 1000n)] }, context);
      const paid = await ledger.createTransfers({ transfers: [leg(2, wallet, merchant, 600n)] }, context);
      expect(paid.homeStream).toBe(`ledger_account-${wallet}`);
      const head = await store.headPosition();
      await expect(
        ledger.createTransfers({ transfers: [leg(3, wallet, merchant, 401n)] }, context),
      ).rejects.toMatchObject({
        code: 'exceeds_credits',
        kind: 'conflict',
      });
      // Only the id claim was written: the home append did not happen.
      expect(await streamTypes(`ledger_account-${wallet}`)).toEqual([
        'LedgerAccountOpened',
        'LedgerCreditApplied',
        'LedgerTransfersRecorded',
      ]);
      expect(await store.headPosition()).toBe(head + 1n);
      expect(await balancesOf(wallet)).toMatchObject({ debitsPosted: 600n, creditsPosted: 1000n });
    });

    it('answers a retry with the original result and appends nothing', async () => {
      await ledger.createTransfers({ transfers: [leg(1, external, wallet, 1000n)] }, context);
      const first = await ledger.createTransfers({ transfers: [leg(2, wallet, merchant, 1000n)] }, context);
      const head = await store.headPosition();
      clock.advanceSeconds(60);
      const retry = await ledger.createTransfers({ transfers: [leg(2, wallet, merchant, 1000n)] }, context);
      expect(retry).toEqual({ ...first, replayed: true });
      expect(await store.headPosition()).toBe(head);
    });

    it('refuses an id reused with other fields, in the same home or another one', async () => {
      await ledger.createTransfers({ transfers: [leg(1, external, wallet, 1000n)] }, context);
      await expect(
        ledger.createTransfers({ transfers: [leg(1, external, wallet, 999n)] }, context),
      ).rejects.toMatchObject({
        code: 'transfer_id_reused',
      });
      // Same id, a batch that would live in the wallet's stream: only the global claim can catch this.
      await expect(
        ledger.createTransfers({ transfers: [leg(1, wallet, merchant, 5n)] }, context),
      ).rejects.toMatchObject({
        code: 'transfer_id_reused',
      });
      expect(await streamTypes(`ledger_account-${wallet}`)).toEqual(['LedgerAccountOpened', 'LedgerCreditApplied']);
    });

    it('refuses bad input before claiming any id', async () => {
      const head = await store.headPosition();
      const refusals: Array<[TransferRequest[], string]> = [
        [[leg(1, wallet, testId('dead', 1), 5n)], 'account_not_found'],
        [[leg(1, wallet, merchant, 0n)], 'invalid_amount'],
        [[leg(1, wallet, wallet, 5n)], 'accounts_must_be_different'],
        [[leg(1, wallet, merchant, 5n, { currency: 'USD' })], 'currency_mismatch'],
        [[{ ...leg(1, wallet, merchant, 5n), id: 'TX-1' }], 'invalid_id'],
        [[leg(1, wallet, merchant, 5n), leg(2, otherWallet, merchant, 5n)], 'linked_batch_spans_guarded_accounts'],
        [[], 'empty_batch'],
      ];
      for (const [transfers, code] of refusals) {
        await expect(ledger.createTransfers({ transfers }, context)).rejects.toMatchObject({ code });
      }
      expect(await store.headPosition()).toBe(head);
    });

    it('lets only one of two concurrent payments spend the same money', async () => {
      await ledger.createTransfers({ transfers: [leg(1, external, wallet, 1000n)] }, context);
      const results = await Promise.allSettled([
        ledger.createTransfers({ transfers: [leg(2, wallet, merchant, 700n)] }, context),
        ledger.createTransfers({ transfers: [leg(3, wallet, merchant, 700n)] }, context),
        ledger.createTransfers({ transfers: [leg(4, wallet, merchant, 300n)] }, context),
      ]);
      const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as { code: string }] : []));
      expect(refused.map((error) => error.code)).toEqual(['exceeds_credits']);
      expect(results[2].status).toBe('fulfilled');
      expect(await balancesOf(wallet)).toMatchObject({ debitsPosted: 1000n, creditsPosted: 1000n });
    });

    it('delivers a wallet-to-wallet payment to the payee, who can then spend it', async () => {
      await ledger.createTransfers({ transfers: [leg(1, external, wallet, 1000n)] }, context);
      await ledger.createTransfers({ transfers: [leg(2, wallet, otherWallet, 250n)] }, context);
      expect(await balancesOf(otherWallet)).toMatchObject({ creditsPosted: 250n });
      await ledger.createTransfers({ transfers: [leg(3, otherWallet, merchant, 250n)] }, context);
      await expect(
        ledger.createTransfers({ transfers: [leg(4, otherWallet, merchant, 1n)] }, context),
      ).rejects.toMatchObject({
        code: 'exceeds_credits',
      });
    });
  });

  describe('two-phase transfers', () => {
    beforeEach(() => ledger.createTransfers({ transfers: [leg(1, external, wallet, 1000n)] }, context));

    it('reserves, posts part and releases the rest', async () => {
      await ledger.createTransfers(
        { transfers: [leg(2, wallet, merchant, 800n, { kind: 'pending', timeoutSeconds: 60 })] },
        context,
      );
      expect(await balancesOf(wallet)).toMatchObject({ debitsPending: 800n, debitsPosted: 0n });
      await expect(
        ledger.createTransfers({ transfers: [leg(3, wallet, merchant, 201n)] }, context),
      ).rejects.toMatchObject({
        code: 'exceeds_credits',
      });
      const posted = await ledger.postPending({ id: tx(4), pendingId: tx(2), amount: 500n }, context);
      expect(posted).toMatchObject({
        homeStream: `ledger_account-${wallet}`,
        replayed: false,
        posted: { amount: '500', pendingAmount: '800' },
      });
      expect(await balancesOf(wallet)).toMatchObject({ debitsPending: 0n, debitsPosted: 500n });
      expect(await ledger.postPending({ id: tx(4), pendingId: tx(2), amount: 500n }, context)).toEqual({
        ...posted,
        replayed: true,
      });
      await expect(ledger.voidPending({ id: tx(5), pendingId: tx(2) }, context)).rejects.toMatchObject({
        code: 'pending_transfer_already_posted',
        kind: 'conflict',
      });
    });

    it('voids and expires reservations', async () => {
      await ledger.createTransfers(
        {
          transfers: [
            leg(2, wallet, merchant, 300n, { kind: 'pending' }),
            leg(3, wallet, merchant, 300n, { kind: 'pending', timeoutSeconds: 30 }),
          ],
        },
        context,
      );
      const voided = await ledger.voidPending({ id: tx(4), pendingId: tx(2) }, context);
      expect(voided.voided).toMatchObject({ pendingId: tx(2), pendingAmount: '300' });
      await expect(ledger.expirePending({ pendingId: tx(3) }, context)).rejects.toMatchObject({
        code: 'pending_transfer_not_expired',
      });
      clock.advanceSeconds(30);
      await expect(ledger.postPending({ id: tx(5), pendingId: tx(3) }, context)).rejects.toMatchObject({
        code: 'pending_transfer_expired',
      });
      const expired = await ledger.expirePending({ pendingId: tx(3) }, context);
      expect(expired).toMatchObject({ replayed: false, expired: { pendingId: tx(3), timestamp: clock.now() } });
      expect((await ledger.expirePending({ pendingId: tx(3) }, context)).replayed).toBe(true);
      expect(await balancesOf(wallet)).toMatchObject({ debitsPending: 0n, debitsPosted: 0n });
    });

    it('posts a pending credit recorded in a transfer stream and delivers the posted amount', async () => {
      await ledger.createTransfers({ transfers: [leg(2, external, otherWallet, 900n, { kind: 'pending' })] }, context);
      expect(await balancesOf(otherWallet)).toMatchObject({ creditsPosted: 0n });
      const posted = await ledger.postPending({ id: tx(3), pendingId: tx(2), amount: 400n }, context);
      expect(posted.homeStream).toBe(`ledger_transfer-${tx(2)}`);
      expect(await balancesOf(otherWallet)).toMatchObject({ creditsPosted: 400n });
    });

    it('refuses unknown pending ids and ids reused for a post', async () => {
      await expect(ledger.postPending({ id: tx(3), pendingId: tx(99) }, context)).rejects.toMatchObject({
        code: 'pending_transfer_not_found',
        kind: 'not_found',
      });
      await ledger.createTransfers({ transfers: [leg(2, wallet, merchant, 10n, { kind: 'pending' })] }, context);
      await expect(ledger.postPending({ id: tx(1), pendingId: tx(2) }, context)).rejects.toMatchObject({
        code: 'transfer_id_reused',
      });
      await expect(ledger.postPending({ id: tx(3), pendingId: tx(1) }, context)).rejects.toMatchObject({
        code: 'pending_transfer_not_pending',
      });
    });
  });

  describe('getAccountView', () => {
    it('shows balances for flagged accounts only, and refuses unknown or malformed ids', async () => {
      expect(await ledger.getAccountView(merchant)).toMatchObject({
        account: { kind: 'merchant' },
        balances: undefined,
        revision: 0n,
      });
      await expect(ledger.getAccountView(testId('dead', 2))).rejects.toMatchObject({
        code: 'account_not_found',
        kind: 'not_found',
      });
      await expect(ledger.getAccountView('x')).rejects.toMatchObject({ code: 'invalid_id' });
    });
  });
});
