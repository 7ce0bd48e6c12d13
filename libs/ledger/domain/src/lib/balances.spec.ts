import { type Balances, brokenFlag, zeroBalances } from './account';
import { addDelta, balanceDeltasOf } from './balances';
import type { LedgerEvent } from './events';
import { T2, creditApplied, leg, merchant, recorded, transferId, wallet } from '../testing/fixtures';

const resolution = {
  pendingId: transferId(1),
  debitAccountId: wallet,
  creditAccountId: merchant,
  pendingAmount: '600',
  currency: 'EUR' as const,
  ledger: 1,
  code: 10,
  timestamp: T2,
};

describe('balanceDeltasOf', () => {
  it('moves posted counters for single legs and pending counters for pending legs', () => {
    const deltas = balanceDeltasOf(
      recorded([leg(1, wallet, merchant, 5n), leg(2, wallet, merchant, 7n, { kind: 'pending' })]),
    );
    expect(deltas).toEqual([
      { accountId: wallet, debitsPending: 0n, debitsPosted: 5n, creditsPending: 0n, creditsPosted: 0n },
      { accountId: merchant, debitsPending: 0n, debitsPosted: 0n, creditsPending: 0n, creditsPosted: 5n },
      { accountId: wallet, debitsPending: 7n, debitsPosted: 0n, creditsPending: 0n, creditsPosted: 0n },
      { accountId: merchant, debitsPending: 0n, debitsPosted: 0n, creditsPending: 7n, creditsPosted: 0n },
    ]);
  });

  it('releases the whole reservation on a post and posts the posted amount', () => {
    const posted: LedgerEvent = {
      type: 'LedgerPendingPosted',
      data: { ...resolution, id: transferId(2), amount: '250', fingerprint: 'f' },
    };
    expect(balanceDeltasOf(posted)[0]).toEqual({
      accountId: wallet,
      debitsPending: -600n,
      debitsPosted: 250n,
      creditsPending: 0n,
      creditsPosted: 0n,
    });
    expect(balanceDeltasOf(posted)[1]).toEqual({
      accountId: merchant,
      debitsPending: 0n,
      debitsPosted: 0n,
      creditsPending: -600n,
      creditsPosted: 250n,
    });
  });

  it('releases the reservation on void and expiry', () => {
    const voided: LedgerEvent = {
      type: 'LedgerPendingVoided',
      data: { ...resolution, id: transferId(2), fingerprint: 'f' },
    };
    const expired: LedgerEvent = { type: 'LedgerPendingExpired', data: { ...resolution, expiresAt: T2 } };
    for (const event of [voided, expired])
      expect(balanceDeltasOf(event).map((d) => d.debitsPending + d.creditsPending)).toEqual([-600n, -600n]);
  });

  it('does not count a delivered credit: the original event already did', () => {
    expect(balanceDeltasOf(creditApplied(wallet, 5n, 900))).toEqual([]);
  });
});

describe('brokenFlag', () => {
  const walletFlags = { flags: ['debits_must_not_exceed_credits' as const] };
  const at = (b: Partial<Balances>) => addDelta(zeroBalances(), { ...zeroBalances(), ...b });

  it('counts pending debits but not pending credits', () => {
    expect(brokenFlag(walletFlags, at({ creditsPosted: 10n, debitsPosted: 6n, debitsPending: 4n }))).toBeUndefined();
    expect(brokenFlag(walletFlags, at({ creditsPosted: 10n, debitsPosted: 6n, debitsPending: 5n }))).toBe(
      'debits_must_not_exceed_credits',
    );
    expect(brokenFlag(walletFlags, at({ creditsPending: 10n, debitsPosted: 1n }))).toBe(
      'debits_must_not_exceed_credits',
    );
  });

  it('never breaks for an unflagged account', () => {
    expect(brokenFlag({ flags: [] }, at({ debitsPosted: 10n }))).toBeUndefined();
  });
});
