import { accountsTouchedBy, creditsOwedBy } from './credit-delivery';
import type { LedgerPendingPosted } from './events';
import {
  T1,
  T2,
  creditLimited,
  directory,
  external,
  fees,
  leg,
  merchant,
  otherWallet,
  recorded,
  transferId,
  wallet,
} from '../testing/fixtures';

describe('creditsOwedBy', () => {
  const topUpStream = `ledger_transfer-${transferId(1)}`;

  it('owes a top-up recorded in a transfer stream to the wallet it credits', () => {
    const event = recorded([leg(1, external, wallet, 500n)]);
    expect(creditsOwedBy(event, topUpStream, directory)).toEqual([
      {
        type: 'ApplyCredit',
        transferId: transferId(1),
        accountId: wallet,
        side: 'credit',
        amount: 500n,
        currency: 'EUR',
        sourceStream: topUpStream,
        timestamp: T1,
      },
    ]);
  });

  it('owes a wallet-to-wallet payment to the payee, not to the home account', () => {
    const event = recorded([leg(1, wallet, otherWallet, 5n), leg(2, merchant, wallet, 1n)]);
    expect(creditsOwedBy(event, `ledger_account-${wallet}`, directory).map((c) => c.accountId)).toEqual([otherWallet]);
  });

  it('owes a debit to a credits-limited account (its unguarded side)', () => {
    const event = recorded([leg(1, creditLimited, merchant, 5n)]);
    expect(creditsOwedBy(event, `ledger_transfer-${transferId(1)}`, directory)).toEqual([
      expect.objectContaining({ accountId: creditLimited, side: 'debit', amount: 5n }),
    ]);
  });

  it('owes nothing for pending legs or unflagged accounts', () => {
    const event = recorded([leg(1, external, wallet, 5n, { kind: 'pending' }), leg(2, merchant, fees, 5n)]);
    expect(creditsOwedBy(event, topUpStream, directory)).toEqual([]);
  });

  it('owes the posted amount of a pending credit, keyed by the post id', () => {
    const posted: LedgerPendingPosted = {
      type: 'LedgerPendingPosted',
      data: {
        id: transferId(2),
        pendingId: transferId(1),
        debitAccountId: external,
        creditAccountId: wallet,
        pendingAmount: '800',
        amount: '300',
        currency: 'EUR',
        ledger: 1,
        code: 10,
        timestamp: T2,
        fingerprint: 'sha256:00',
      },
    };
    expect(creditsOwedBy(posted, topUpStream, directory)).toEqual([
      expect.objectContaining({
        transferId: transferId(2),
        pendingId: transferId(1),
        accountId: wallet,
        amount: 300n,
        timestamp: T2,
      }),
    ]);
    expect(accountsTouchedBy(posted)).toEqual([external, wallet]);
  });
});
