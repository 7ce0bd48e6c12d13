import { LedgerError } from './errors';
import { guardedAccountsHit, homeAccountOf, homeStreamFor } from './routing';
import {
  creditLimited,
  directory,
  external,
  fees,
  leg,
  merchant,
  otherWallet,
  reserve,
  wallet,
  transferId,
} from '../testing/fixtures';

describe('homeStreamFor', () => {
  it('homes a payment from a wallet in the wallet’s stream', () => {
    expect(homeStreamFor([leg(1, wallet, merchant, 1n)], directory)).toEqual({
      kind: 'account',
      accountId: wallet,
      streamId: `ledger_account-${wallet}`,
    });
  });

  it('homes a credit to a credits-limited account in that account’s stream', () => {
    expect(homeStreamFor([leg(1, merchant, creditLimited, 1n)], directory)).toMatchObject({
      kind: 'account',
      accountId: creditLimited,
    });
  });

  it('homes batches that hit no guarded side in the first transfer’s own stream', () => {
    expect(homeStreamFor([leg(1, external, wallet, 1n), leg(2, merchant, fees, 1n)], directory)).toEqual({
      kind: 'transfer',
      streamId: `ledger_transfer-${transferId(1)}`,
    });
    // Debiting a credits-limited account helps its flag, so it is not guarded.
    expect(homeStreamFor([leg(1, creditLimited, merchant, 1n)], directory).kind).toBe('transfer');
  });

  it('keeps a batch hitting one guarded account several times in that account', () => {
    const batch = [leg(1, wallet, merchant, 1n), leg(2, wallet, fees, 1n), leg(3, external, wallet, 1n)];
    expect(homeStreamFor(batch, directory)).toMatchObject({ accountId: wallet });
  });

  it('refuses a batch that hits two guarded accounts', () => {
    const batch = [leg(1, wallet, merchant, 1n), leg(2, reserve, otherWallet, 1n)];
    expect(guardedAccountsHit(batch, directory)).toEqual([wallet, reserve]);
    expect(() => homeStreamFor(batch, directory)).toThrow(
      expect.objectContaining({ code: 'linked_batch_spans_guarded_accounts' }),
    );
    expect(() => homeStreamFor([leg(1, wallet, creditLimited, 1n)], directory)).toThrow(LedgerError);
  });

  it('refuses unknown accounts and empty batches', () => {
    expect(() => homeStreamFor([leg(1, wallet, '00000000-0000-4000-8000-000000000bad', 1n)], directory)).toThrow(
      expect.objectContaining({ code: 'account_not_found', kind: 'not_found' }),
    );
    expect(() => homeStreamFor([], directory)).toThrow(expect.objectContaining({ code: 'empty_batch' }));
  });
});

describe('homeAccountOf', () => {
  it('reads the account id of an account stream only', () => {
    expect(homeAccountOf(`ledger_account-${wallet}`)).toBe(wallet);
    expect(homeAccountOf(`ledger_transfer-${wallet}`)).toBeUndefined();
  });
});
