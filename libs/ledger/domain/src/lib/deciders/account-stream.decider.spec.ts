import type { OpenAccount } from '../commands';
import type { LedgerEvent } from '../events';
import { accountStreamDecider } from './account-stream.decider';
import {
  T0,
  T1,
  T2,
  T3,
  createTransfers,
  creditApplied,
  creditLimited,
  external,
  fees,
  funded,
  jpyWallet,
  leg,
  merchant,
  opened,
  otherWallet,
  recorded,
  transferId,
  wallet,
} from '../../testing/fixtures';
import { specFor } from '../../testing/given-when-then';

const { given } = specFor(accountStreamDecider);

const openWallet: OpenAccount = {
  type: 'OpenAccount',
  accountId: wallet,
  kind: 'customer_wallet',
  currency: 'EUR',
  ledger: 1,
  code: 1,
  timestamp: T0,
};

describe('account stream: OpenAccount', () => {
  describe('when the account does not exist', () => {
    it('opens it with the flags of its kind', () => {
      given([])
        .when(openWallet)
        .then([opened(wallet)]);
    });

    it('opens an unflagged merchant', () => {
      given([])
        .when({ ...openWallet, accountId: merchant, kind: 'merchant' })
        .then([opened(merchant)]);
    });

    it('keeps explicit flags in canonical order', () => {
      given([])
        .when({ ...openWallet, accountId: creditLimited, kind: 'merchant', flags: ['credits_must_not_exceed_debits'] })
        .then([opened(creditLimited)]);
    });

    it.each([
      ['invalid_id', { accountId: 'not-a-uuid' }],
      ['invalid_id', { accountId: '00000000-0000-0000-0000-000000000000' }],
      ['invalid_id', { accountId: wallet.toUpperCase() }],
      ['invalid_kind', { kind: 'savings' }],
      ['unsupported_currency', { currency: 'XXX' }],
      ['invalid_ledger', { ledger: 0 }],
      ['invalid_code', { code: 70000 }],
      ['invalid_flags', { flags: ['overdraft'] }],
      ['invalid_flags', { flags: ['debits_must_not_exceed_credits', 'debits_must_not_exceed_credits'] }],
      ['flags_are_mutually_exclusive', { flags: ['debits_must_not_exceed_credits', 'credits_must_not_exceed_debits'] }],
      ['invalid_time', { timestamp: '2025-02-30T00:00:00.000Z' }],
    ])('refuses %s (%j)', (code, patch) => {
      given([])
        .when({ ...openWallet, ...(patch as Partial<OpenAccount>) })
        .thenThrows(code, 'invalid');
    });
  });

  describe('when the account is open', () => {
    it('does nothing when the same definition arrives again', () => {
      given([opened(wallet)])
        .when({ ...openWallet, timestamp: T2 })
        .thenNothing();
    });

    it('refuses a different definition under the same id', () => {
      given([opened(wallet)])
        .when({ ...openWallet, currency: 'USD' })
        .thenThrows('account_id_reused', 'conflict');
      given([opened(wallet)])
        .when({ ...openWallet, flags: [] })
        .thenThrows('account_id_reused', 'conflict');
    });
  });
});

describe('account stream: CreateTransfers', () => {
  const payment = leg(1, wallet, merchant, 700n);

  describe('when the account is not open', () => {
    it('refuses', () => {
      given([])
        .when(createTransfers([payment]))
        .thenThrows('account_not_found', 'not_found');
    });
  });

  describe('when the wallet holds 1000', () => {
    const history = funded(wallet, 1000n);

    it('records a payment it can cover', () => {
      given(history)
        .when(createTransfers([payment]))
        .then([recorded([payment])]);
    });

    it('records a payment of exactly the balance', () => {
      const all = leg(1, wallet, merchant, 1000n);
      given(history)
        .when(createTransfers([all]))
        .then([recorded([all])]);
    });

    it('refuses a payment above the balance with exceeds_credits', () => {
      const error = given(history)
        .when(createTransfers([leg(1, wallet, merchant, 1001n)]))
        .thenThrows('exceeds_credits', 'conflict');
      expect(error.details).toEqual({ index: 0, transferId: transferId(1), accountId: wallet });
    });

    it('counts pending debits against the balance', () => {
      const hold = leg(1, wallet, merchant, 600n, { kind: 'pending', timeoutSeconds: 60 });
      given([...history, recorded([hold])])
        .when(createTransfers([leg(2, wallet, merchant, 401n)]))
        .thenThrows('exceeds_credits');
      given([...history, recorded([hold])])
        .when(createTransfers([leg(2, wallet, merchant, 400n)]))
        .then([recorded([leg(2, wallet, merchant, 400n)])]);
    });

    it('records a pending transfer with its expiry time', () => {
      const hold = leg(1, wallet, merchant, 600n, { kind: 'pending', timeoutSeconds: 60 });
      given(history)
        .when(createTransfers([hold]))
        .then([recorded([hold], T1, '2025-03-01T10:01:30.000Z')]);
    });

    it('records a linked batch whose legs together stay within the balance', () => {
      const batch = [leg(1, wallet, merchant, 900n), leg(2, merchant, fees, 20n)];
      given(history)
        .when(createTransfers(batch))
        .then([recorded(batch)]);
    });

    it('refuses the whole linked batch when a later leg overdraws', () => {
      const batch = [leg(1, wallet, merchant, 600n), leg(2, wallet, fees, 401n)];
      const error = given(history).when(createTransfers(batch)).thenThrows('exceeds_credits');
      expect(error.details).toMatchObject({ index: 1, transferId: transferId(2) });
    });

    it('lets an earlier leg fund a later one, never the reverse', () => {
      const refundThenPay = [leg(1, merchant, wallet, 500n), leg(2, wallet, merchant, 1500n)];
      given(history)
        .when(createTransfers(refundThenPay))
        .then([recorded(refundThenPay)]);
      const payThenRefund = [leg(1, wallet, merchant, 1500n), leg(2, merchant, wallet, 500n)];
      given(history).when(createTransfers(payThenRefund)).thenThrows('exceeds_credits');
    });

    it('ignores undelivered credits: a top-up recorded elsewhere does not count until applied', () => {
      given([opened(wallet)])
        .when(createTransfers([payment]))
        .thenThrows('exceeds_credits');
    });
  });

  describe('when the batch was already recorded', () => {
    const history: LedgerEvent[] = [...funded(wallet, 1000n), recorded([leg(1, wallet, merchant, 700n)])];

    it('does nothing on a retry with the same fields, even though the balance could not cover it again', () => {
      given(history)
        .when(createTransfers([leg(1, wallet, merchant, 700n)], T2))
        .thenNothing();
    });

    it('treats an omitted timeout and a zero timeout as the same request', () => {
      given(history)
        .when(createTransfers([leg(1, wallet, merchant, 700n, { timeoutSeconds: 0 })], T2))
        .thenNothing();
    });

    it('refuses the same id with a different amount', () => {
      given(history)
        .when(createTransfers([leg(1, wallet, merchant, 701n)]))
        .thenThrows('transfer_id_reused', 'conflict');
    });

    it('refuses a batch that reuses one recorded id among new ones', () => {
      given(history)
        .when(createTransfers([leg(1, wallet, merchant, 700n), leg(2, wallet, merchant, 1n)]))
        .thenThrows('transfer_id_reused', 'conflict');
    });
  });

  describe('when the input is bad', () => {
    const history = funded(wallet, 1000n);
    it.each([
      ['invalid_amount', leg(1, wallet, merchant, 0n)],
      ['invalid_amount', leg(1, wallet, merchant, -5n)],
      ['invalid_amount', leg(1, wallet, merchant, 2n ** 63n)],
      ['invalid_id', { ...leg(1, wallet, merchant, 5n), id: 'abc' }],
      ['invalid_id', leg(1, wallet, 'merchant', 5n)],
      ['accounts_must_be_different', leg(1, wallet, wallet, 5n)],
      ['unsupported_currency', leg(1, wallet, merchant, 5n, { currency: 'XBT' as 'EUR' })],
      ['currency_mismatch', leg(1, wallet, merchant, 5n, { currency: 'USD' })],
      ['currency_mismatch', leg(1, wallet, jpyWallet, 5n)],
      ['ledger_mismatch', leg(1, wallet, merchant, 5n, { ledger: 7 })],
      ['invalid_code', leg(1, wallet, merchant, 5n, { code: 0 })],
      ['invalid_transfer_kind', leg(1, wallet, merchant, 5n, { kind: 'post' as 'single' })],
      ['timeout_reserved_for_pending_transfer', leg(1, wallet, merchant, 5n, { timeoutSeconds: 10 })],
      ['invalid_timeout_seconds', leg(1, wallet, merchant, 5n, { kind: 'pending', timeoutSeconds: -1 })],
      ['invalid_timeout_seconds', leg(1, wallet, merchant, 5n, { kind: 'pending', timeoutSeconds: 1.5 })],
    ])('refuses %s', (code, transfer) => {
      given(history)
        .when(createTransfers([transfer]))
        .thenThrows(code, 'invalid');
    });

    it('refuses an unknown account as not found', () => {
      given(history)
        .when(createTransfers([leg(1, wallet, '00000000-0000-4000-8000-00000000dead', 5n)]))
        .thenThrows('account_not_found', 'not_found');
    });

    it('refuses an empty batch, a duplicate id and an oversized batch', () => {
      given(history).when(createTransfers([])).thenThrows('empty_batch');
      given(history)
        .when(createTransfers([leg(1, wallet, merchant, 5n), leg(1, wallet, fees, 5n)]))
        .thenThrows('duplicate_transfer_id_in_batch');
      const many = Array.from({ length: 65 }, (_, i) => leg(i + 1, wallet, merchant, 1n));
      given(history).when(createTransfers(many)).thenThrows('batch_too_large');
    });

    it('refuses a batch that also hits another wallet’s guarded side', () => {
      given(history)
        .when(createTransfers([leg(1, wallet, merchant, 5n), leg(2, otherWallet, merchant, 5n)]))
        .thenThrows('linked_batch_spans_guarded_accounts', 'invalid');
    });

    it('refuses a batch whose home is another stream', () => {
      given(history)
        .when(createTransfers([leg(1, external, merchant, 5n)]))
        .thenThrows('wrong_home_stream');
      given([opened(merchant)])
        .when(createTransfers([leg(1, merchant, fees, 5n)]))
        .thenThrows('wrong_home_stream');
    });
  });
});

describe('account stream: credits_must_not_exceed_debits', () => {
  it('refuses a credit above the debits it has seen, and accepts one within them', () => {
    const history: LedgerEvent[] = [
      opened(creditLimited),
      {
        ...creditApplied(creditLimited, 300n, 901),
        data: { ...creditApplied(creditLimited, 300n, 901).data, side: 'debit' },
      },
    ];
    given(history)
      .when(createTransfers([leg(1, merchant, creditLimited, 301n)]))
      .thenThrows('exceeds_debits', 'conflict');
    given(history)
      .when(createTransfers([leg(1, merchant, creditLimited, 300n)]))
      .then([recorded([leg(1, merchant, creditLimited, 300n)])]);
  });
});

describe('account stream: PostPending', () => {
  const hold = leg(1, wallet, merchant, 600n, { kind: 'pending', timeoutSeconds: 60 });
  const held: LedgerEvent[] = [...funded(wallet, 1000n), recorded([hold], T1, '2025-03-01T10:01:30.000Z')];
  const post = { type: 'PostPending' as const, id: transferId(2), pendingId: transferId(1), timestamp: T2 };

  describe('when the transfer is pending', () => {
    it('posts the full amount', () => {
      const [event] = given(held).when(post).events();
      expect(event).toEqual({
        type: 'LedgerPendingPosted',
        data: {
          id: transferId(2),
          pendingId: transferId(1),
          debitAccountId: wallet,
          creditAccountId: merchant,
          pendingAmount: '600',
          amount: '600',
          currency: 'EUR',
          ledger: 1,
          code: 10,
          timestamp: T2,
          fingerprint: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
        },
      });
    });

    it('posts part of the amount and releases the rest', () => {
      const [event] = given(held)
        .when({ ...post, amount: 250n })
        .events();
      expect(event.data).toMatchObject({ amount: '250', pendingAmount: '600' });
      // The released 350 can be spent again: 1000 − 250 posted leaves 750.
      given([...held, event])
        .when(createTransfers([leg(3, wallet, merchant, 750n)], T3))
        .then([recorded([leg(3, wallet, merchant, 750n)], T3)]);
      given([...held, event])
        .when(createTransfers([leg(3, wallet, merchant, 751n)], T3))
        .thenThrows('exceeds_credits');
    });

    it('refuses more than the pending amount', () => {
      given(held)
        .when({ ...post, amount: 601n })
        .thenThrows('exceeds_pending_transfer_amount', 'precondition');
    });

    it('refuses a zero amount and bad ids', () => {
      given(held)
        .when({ ...post, amount: 0n })
        .thenThrows('invalid_amount', 'invalid');
      given(held)
        .when({ ...post, id: 'x' })
        .thenThrows('invalid_id', 'invalid');
      given(held)
        .when({ ...post, id: transferId(1) })
        .thenThrows('transfer_id_reused');
    });

    it('refuses once the timeout has passed, even before the expiry is recorded', () => {
      given(held)
        .when({ ...post, timestamp: '2025-03-01T10:01:30.000Z' })
        .thenThrows('pending_transfer_expired', 'conflict');
    });

    it('refuses an id already used for another transfer in this stream', () => {
      const withPayment = [...held, recorded([leg(5, wallet, merchant, 1n)])];
      given(withPayment)
        .when({ ...post, id: transferId(5) })
        .thenThrows('transfer_id_reused');
    });
  });

  describe('when the transfer is not pending', () => {
    it('refuses an unknown pending id', () => {
      given(held)
        .when({ ...post, pendingId: transferId(77) })
        .thenThrows('pending_transfer_not_found', 'not_found');
    });

    it('refuses a single-phase transfer', () => {
      given([...held, recorded([leg(5, wallet, merchant, 1n)])])
        .when({ ...post, pendingId: transferId(5) })
        .thenThrows('pending_transfer_not_pending');
    });

    it('does nothing on a retry of the same post', () => {
      const events = given(held).when(post).events();
      given([...held, ...events])
        .when({ ...post, timestamp: T3 })
        .thenNothing();
    });

    it('refuses a second post under another id, and a retry with another amount', () => {
      const events = given(held).when(post).events();
      given([...held, ...events])
        .when({ ...post, id: transferId(3) })
        .thenThrows('pending_transfer_already_posted', 'conflict');
      given([...held, ...events])
        .when({ ...post, amount: 5n })
        .thenThrows('transfer_id_reused', 'conflict');
    });

    it('refuses to post a voided or expired transfer', () => {
      const voided = given(held)
        .when({ type: 'VoidPending', id: transferId(3), pendingId: transferId(1), timestamp: T2 })
        .events();
      given([...held, ...voided])
        .when(post)
        .thenThrows('pending_transfer_already_voided');
      const expired = given(held)
        .when({ type: 'ExpirePending', pendingId: transferId(1), now: T3 })
        .events();
      given([...held, ...expired])
        .when(post)
        .thenThrows('pending_transfer_already_expired');
    });
  });
});

describe('account stream: VoidPending', () => {
  const hold = leg(1, wallet, merchant, 600n, { kind: 'pending' });
  const held: LedgerEvent[] = [...funded(wallet, 1000n), recorded([hold])];
  const voidHold = { type: 'VoidPending' as const, id: transferId(2), pendingId: transferId(1), timestamp: T2 };

  it('voids a pending transfer and releases its reservation', () => {
    const events = given(held).when(voidHold).events();
    expect(events).toEqual([
      {
        type: 'LedgerPendingVoided',
        data: {
          id: transferId(2),
          pendingId: transferId(1),
          debitAccountId: wallet,
          creditAccountId: merchant,
          pendingAmount: '600',
          currency: 'EUR',
          ledger: 1,
          code: 10,
          timestamp: T2,
          fingerprint: expect.stringMatching(/^sha256:/),
        },
      },
    ]);
    given([...held, ...events])
      .when(createTransfers([leg(3, wallet, merchant, 1000n)], T3))
      .then([recorded([leg(3, wallet, merchant, 1000n)], T3)]);
  });

  it('does nothing on a retry, refuses a void of a posted transfer', () => {
    const events = given(held).when(voidHold).events();
    given([...held, ...events])
      .when(voidHold)
      .thenNothing();
    const posted = given(held)
      .when({ type: 'PostPending', id: transferId(3), pendingId: transferId(1), timestamp: T2 })
      .events();
    given([...held, ...posted])
      .when(voidHold)
      .thenThrows('pending_transfer_already_posted', 'conflict');
  });

  it('refuses an unknown pending transfer', () => {
    given(held)
      .when({ ...voidHold, pendingId: transferId(42) })
      .thenThrows('pending_transfer_not_found', 'not_found');
  });
});

describe('account stream: ExpirePending', () => {
  const hold = leg(1, wallet, merchant, 600n, { kind: 'pending', timeoutSeconds: 60 });
  const held: LedgerEvent[] = [...funded(wallet, 1000n), recorded([hold], T1, '2025-03-01T10:01:30.000Z')];
  const expire = { type: 'ExpirePending' as const, pendingId: transferId(1), now: '2025-03-01T10:01:30.000Z' };

  it('expires a pending transfer at its deadline', () => {
    given(held)
      .when(expire)
      .then([
        {
          type: 'LedgerPendingExpired',
          data: {
            pendingId: transferId(1),
            debitAccountId: wallet,
            creditAccountId: merchant,
            pendingAmount: '600',
            currency: 'EUR',
            ledger: 1,
            code: 10,
            timestamp: '2025-03-01T10:01:30.000Z',
            expiresAt: '2025-03-01T10:01:30.000Z',
          },
        },
      ]);
  });

  it('refuses before the deadline and for a transfer without timeout', () => {
    given(held)
      .when({ ...expire, now: '2025-03-01T10:01:29.999Z' })
      .thenThrows('pending_transfer_not_expired', 'precondition');
    const forever = leg(2, wallet, merchant, 1n, { kind: 'pending' });
    given([...held, recorded([forever])])
      .when({ ...expire, pendingId: transferId(2) })
      .thenThrows('pending_transfer_has_no_timeout', 'precondition');
  });

  it('does nothing when already expired, refuses when posted', () => {
    const expired = given(held).when(expire).events();
    given([...held, ...expired])
      .when({ ...expire, now: T3 })
      .thenNothing();
    const posted = given(held)
      .when({ type: 'PostPending', id: transferId(3), pendingId: transferId(1), timestamp: T2 })
      .events();
    given([...held, ...posted])
      .when(expire)
      .thenThrows('pending_transfer_already_posted');
  });

  it('refuses an unknown pending id and a malformed time', () => {
    given(held)
      .when({ ...expire, pendingId: transferId(9) })
      .thenThrows('pending_transfer_not_found', 'not_found');
    given(held)
      .when({ ...expire, now: 'yesterday' })
      .thenThrows('invalid_time', 'invalid');
  });
});

describe('account stream: ApplyCredit', () => {
  const credit = {
    type: 'ApplyCredit' as const,
    transferId: transferId(900),
    accountId: wallet,
    side: 'credit' as const,
    amount: 1000n,
    currency: 'EUR' as const,
    sourceStream: `ledger_transfer-${transferId(900)}`,
    timestamp: T0,
  };

  it('applies a credit recorded elsewhere, which then funds a payment', () => {
    given([opened(wallet)])
      .when(credit)
      .then([creditApplied(wallet, 1000n, 900)]);
    given([opened(wallet), creditApplied(wallet, 1000n, 900)])
      .when(createTransfers([leg(1, wallet, merchant, 1000n)]))
      .then([recorded([leg(1, wallet, merchant, 1000n)])]);
  });

  it('does nothing when the credit was already applied or recorded in this stream', () => {
    given([opened(wallet), creditApplied(wallet, 1000n, 900)])
      .when(credit)
      .thenNothing();
    const inStream = recorded([leg(900, merchant, wallet, 1000n)]);
    given([...funded(wallet, 1n, 901), inStream])
      .when(credit)
      .thenNothing();
  });

  it('refuses a delivery on the guarded side, to another account or in another currency', () => {
    given([opened(wallet)])
      .when({ ...credit, side: 'debit' })
      .thenThrows('credit_hits_guarded_side', 'invalid');
    given([opened(merchant)])
      .when({ ...credit, accountId: merchant })
      .thenThrows('credit_hits_guarded_side');
    given([opened(wallet)])
      .when({ ...credit, accountId: otherWallet })
      .thenThrows('wrong_home_stream');
    given([opened(wallet)])
      .when({ ...credit, currency: 'USD' })
      .thenThrows('currency_mismatch');
    given([opened(wallet)])
      .when({ ...credit, amount: 0n })
      .thenThrows('invalid_amount');
  });

  it('refuses when the account is not open', () => {
    given([]).when(credit).thenThrows('account_not_found', 'not_found');
  });
});

describe('account stream: fold', () => {
  it('tracks its own four counters through pending, post, void and delivered credits', () => {
    const hold = leg(1, wallet, merchant, 600n, { kind: 'pending' });
    const hold2 = leg(2, wallet, merchant, 100n, { kind: 'pending' });
    const history: LedgerEvent[] = [
      ...funded(wallet, 1000n),
      recorded([hold, hold2]),
      ...given([...funded(wallet, 1000n), recorded([hold, hold2])])
        .when({ type: 'PostPending', id: transferId(3), pendingId: transferId(1), amount: 200n, timestamp: T2 })
        .events(),
    ];
    const state = history.reduce(accountStreamDecider.evolve, accountStreamDecider.initialState());
    expect(state.status === 'open' && state.balances).toEqual({
      debitsPending: 100n,
      debitsPosted: 200n,
      creditsPending: 0n,
      creditsPosted: 1000n,
    });
  });

  it('ignores events about other accounts in a batch', () => {
    const batch = [leg(1, wallet, merchant, 10n), leg(2, external, fees, 99n)];
    const state = [...funded(wallet, 1000n), recorded(batch)].reduce(
      accountStreamDecider.evolve,
      accountStreamDecider.initialState(),
    );
    expect(state.status === 'open' && state.balances.debitsPosted).toBe(10n);
  });
});
