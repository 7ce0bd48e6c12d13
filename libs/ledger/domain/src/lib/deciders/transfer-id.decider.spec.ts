import type { ClaimTransferId } from '../commands';
import { transferIdDecider } from './transfer-id.decider';
import { T0, T1, transferId } from '../../testing/fixtures';
import { specFor } from '../../testing/given-when-then';

const { given } = specFor(transferIdDecider);

const claim: ClaimTransferId = {
  type: 'ClaimTransferId',
  transferId: transferId(1),
  fingerprint: 'sha256:aa',
  homeStream: 'ledger_account-x',
  timestamp: T0,
};
const claimed = {
  type: 'TransferIdClaimed' as const,
  data: { transferId: transferId(1), fingerprint: 'sha256:aa', homeStream: 'ledger_account-x', timestamp: T0 },
};

describe('transfer id claim', () => {
  describe('when the id is free', () => {
    it('claims it', () => {
      given([]).when(claim).then([claimed]);
    });

    it('refuses a malformed id or time', () => {
      given([])
        .when({ ...claim, transferId: 'TX-1' })
        .thenThrows('invalid_id', 'invalid');
      given([])
        .when({ ...claim, timestamp: '2025-03-01' })
        .thenThrows('invalid_time', 'invalid');
    });
  });

  describe('when the id is claimed', () => {
    it('does nothing for the same request (a retry)', () => {
      given([claimed])
        .when({ ...claim, timestamp: T1 })
        .thenNothing();
    });

    it('refuses a different request or a different home', () => {
      given([claimed])
        .when({ ...claim, fingerprint: 'sha256:bb' })
        .thenThrows('transfer_id_reused', 'conflict');
      given([claimed])
        .when({ ...claim, homeStream: 'ledger_transfer-y' })
        .thenThrows('transfer_id_reused', 'conflict');
    });
  });
});
