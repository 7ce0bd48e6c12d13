import { batchFingerprint, postFingerprint, sha256Hex, type TransferRequest, voidFingerprint } from '@smilepay/ledger/domain';
import fc from 'fast-check';
import { ManualClock, TempEventStores, context, testId } from '../../testing/temp-event-store';
import { LedgerService } from '../ledger.service';
import { nodeSha256Hex } from './node-sha256';

describe('nodeSha256Hex', () => {
  it('gives the bytes of the domain implementation, non-ASCII and lone surrogates included', () => {
    for (const text of ['', 'abc', '€ é 😀', 'a\u{10FFFF}b', '\ud800x', 'x'.repeat(1_000)])
      expect(nodeSha256Hex(text)).toBe(sha256Hex(text));
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (text) => nodeSha256Hex(text) === sha256Hex(text)));
  });

  it('gives the same fingerprints for batches, posts and voids', () => {
    const leg: TransferRequest = {
      id: testId('c', 1),
      debitAccountId: testId('c', 2),
      creditAccountId: testId('c', 3),
      amount: 1_250n,
      currency: 'EUR',
      ledger: 1,
      code: 2,
      kind: 'pending',
      timeoutSeconds: 60,
    };
    const resolution = { id: testId('c', 4), pendingId: leg.id, amount: 1_000n };
    expect(batchFingerprint([leg], nodeSha256Hex)).toBe(batchFingerprint([leg]));
    expect(postFingerprint(resolution, nodeSha256Hex)).toBe(postFingerprint(resolution));
    expect(voidFingerprint(resolution, nodeSha256Hex)).toBe(voidFingerprint(resolution));
  });
});

describe('fingerprints recorded by the pure implementation', () => {
  const stores = new TempEventStores();
  afterAll(() => stores.dispose());

  it('still identify a retry when the service hashes natively', async () => {
    const store = stores.create();
    const clock = new ManualClock();
    const pure = new LedgerService(store, { clock: clock.now, hashHex: sha256Hex });
    const [wallet, external, merchant] = [testId('d', 1), testId('d', 2), testId('d', 3)];
    for (const [accountId, kind] of [
      [wallet, 'customer_wallet'],
      [external, 'external'],
      [merchant, 'merchant'],
    ] as const)
      await pure.openAccount({ accountId, kind, currency: 'EUR', ledger: 1, code: 1 }, context);
    const transfer = (id: string, debitAccountId: string, creditAccountId: string): TransferRequest => ({
      id,
      debitAccountId,
      creditAccountId,
      amount: 500n,
      currency: 'EUR',
      ledger: 1,
      code: 1,
      kind: 'single',
    });
    await pure.createTransfers({ transfers: [transfer(testId('e', 1), external, wallet)] }, context);
    await pure.createTransfers(
      { transfers: [{ ...transfer(testId('e', 2), wallet, merchant), kind: 'pending', timeoutSeconds: 60 }] },
      context,
    );
    await pure.postPending({ id: testId('e', 3), pendingId: testId('e', 2) }, context);

    const native = new LedgerService(store, { clock: clock.now });
    const retried = await native.createTransfers({ transfers: [transfer(testId('e', 1), external, wallet)] }, context);
    expect(retried.replayed).toBe(true);
    expect((await native.postPending({ id: testId('e', 3), pendingId: testId('e', 2) }, context)).replayed).toBe(true);
    await expect(
      native.createTransfers({ transfers: [{ ...transfer(testId('e', 1), external, wallet), amount: 501n }] }, context),
    ).rejects.toMatchObject({ code: 'transfer_id_reused' });
  });
});
