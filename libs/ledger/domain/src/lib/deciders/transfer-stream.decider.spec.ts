import { postFingerprint } from '../decisions/resolve-pending';
import type { LedgerEvent } from '../events';
import { transferStreamDecider } from './transfer-stream.decider';
import {
  T0,
  T1,
  T2,
  createTransfers,
  external,
  fees,
  leg,
  merchant,
  otherWallet,
  recorded,
  transferId,
  wallet,
} from '../../testing/fixtures';
import { specFor } from '../../testing/given-when-then';

const { given } = specFor(transferStreamDecider);

describe('transfer stream: CreateTransfers', () => {
  const topUp = leg(1, external, wallet, 5000n);

  describe('when the stream is empty', () => {
    it('records a top-up without any balance check: crediting a wallet cannot break its flag', () => {
      given([])
        .when(createTransfers([topUp]))
        .then([recorded([topUp])]);
    });

    it('records a linked batch that hits no guarded side', () => {
      const batch = [leg(1, external, wallet, 5000n), leg(2, external, otherWallet, 10n), leg(3, merchant, fees, 3n)];
      given([])
        .when(createTransfers(batch))
        .then([recorded(batch)]);
    });

    it('lets the external account go negative', () => {
      const big = leg(1, external, merchant, 2n ** 63n - 1n);
      given([])
        .when(createTransfers([big]))
        .then([recorded([big])]);
    });

    it('refuses a batch that hits a guarded side: it belongs in the account stream', () => {
      given([])
        .when(createTransfers([leg(1, wallet, merchant, 1n)]))
        .thenThrows('wrong_home_stream', 'invalid');
    });

    it('refuses bad input', () => {
      given([])
        .when(createTransfers([leg(1, external, wallet, 0n)]))
        .thenThrows('invalid_amount', 'invalid');
      given([])
        .when(createTransfers([leg(1, external, wallet, 1n)], 'now'))
        .thenThrows('invalid_time', 'invalid');
    });
  });

  describe('when the batch is recorded', () => {
    const history = [recorded([topUp])];

    it('does nothing on a retry', () => {
      given(history)
        .when(createTransfers([topUp], T2))
        .thenNothing();
    });

    it('refuses the same id with other fields', () => {
      given(history)
        .when(createTransfers([leg(1, external, wallet, 5001n)]))
        .thenThrows('transfer_id_reused', 'conflict');
      given(history)
        .when(createTransfers([topUp, leg(2, external, wallet, 1n)]))
        .thenThrows('transfer_id_reused', 'conflict');
    });

    it('refuses another batch: the stream is named after its first id', () => {
      given(history)
        .when(createTransfers([leg(2, external, wallet, 1n)]))
        .thenThrows('wrong_home_stream');
    });
  });
});

describe('transfer stream: pending transfers', () => {
  const authorise = leg(1, external, wallet, 800n, { kind: 'pending', timeoutSeconds: 3600 });
  const held: LedgerEvent[] = [recorded([authorise], T1, '2025-03-01T11:00:30.000Z')];

  it('posts part of a pending top-up', () => {
    given(held)
      .when({ type: 'PostPending', id: transferId(2), pendingId: transferId(1), amount: 300n, timestamp: T2 })
      .then([
        {
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
            // The post's fingerprint leaves out its timestamp, so a later retry matches.
            fingerprint: postFingerprint({ id: transferId(2), pendingId: transferId(1), amount: 300n }),
          },
        },
      ]);
  });

  it('voids, then refuses to post or expire', () => {
    const voided = given(held)
      .when({ type: 'VoidPending', id: transferId(2), pendingId: transferId(1), timestamp: T2 })
      .events();
    expect(voided).toHaveLength(1);
    given([...held, ...voided])
      .when({ type: 'PostPending', id: transferId(3), pendingId: transferId(1), timestamp: T2 })
      .thenThrows('pending_transfer_already_voided', 'conflict');
    given([...held, ...voided])
      .when({ type: 'ExpirePending', pendingId: transferId(1), now: '2025-03-01T12:00:00.000Z' })
      .thenThrows('pending_transfer_already_voided', 'conflict');
  });

  it('expires after the deadline, and a second expiry changes nothing', () => {
    const expire = { type: 'ExpirePending' as const, pendingId: transferId(1), now: '2025-03-01T11:00:30.000Z' };
    const expired = given(held).when(expire).events();
    expect(expired).toEqual([expect.objectContaining({ type: 'LedgerPendingExpired' })]);
    given([...held, ...expired])
      .when(expire)
      .thenNothing();
  });

  it('refuses commands for an empty stream and commands that belong to account streams', () => {
    given([])
      .when({ type: 'VoidPending', id: transferId(2), pendingId: transferId(1), timestamp: T2 })
      .thenThrows('pending_transfer_not_found', 'not_found');
    given(held)
      .when({
        type: 'OpenAccount',
        accountId: wallet,
        kind: 'customer_wallet',
        currency: 'EUR',
        ledger: 1,
        code: 1,
        timestamp: T0,
      })
      .thenThrows('command_not_supported_here');
  });
});
