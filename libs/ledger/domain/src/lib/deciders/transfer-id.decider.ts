import type { Decider } from '@smilepay/shared/domain';
import type { ClaimTransferId } from '../commands';
import { LedgerError } from '../errors';
import type { TransferIdClaimed } from '../events';
import { assertLedgerId } from '../identifiers';
import { parseIsoTime } from '../time';

/**
 * `ledger_transferid-<id>`: makes a client-chosen transfer id global across home streams. The first claim wins; the
 * same request claiming again (a retry) changes nothing, any other request is refused.
 */
export type TransferIdState =
  { status: 'unclaimed' } | { status: 'claimed'; transferId: string; fingerprint: string; homeStream: string };

export const transferIdDecider: Decider<ClaimTransferId, TransferIdClaimed, TransferIdState> = {
  initialState: () => ({ status: 'unclaimed' }),
  decide: (command, state) => {
    assertLedgerId(command.transferId, 'transferId');
    parseIsoTime(command.timestamp, 'timestamp');
    if (state.status === 'unclaimed') {
      const { transferId, fingerprint, homeStream, timestamp } = command;
      return [{ type: 'TransferIdClaimed', data: { transferId, fingerprint, homeStream, timestamp } }];
    }
    // Routing is a function of the request, so the same fingerprint always names the same home.
    if (state.fingerprint === command.fingerprint && state.homeStream === command.homeStream) return [];
    throw new LedgerError(
      'transfer_id_reused',
      `transfer id ${command.transferId} was already used for a different request`,
      {
        transferId: command.transferId,
      },
    );
  },
  evolve: (state, event) => {
    if (state.status === 'claimed') return state;
    const { transferId, fingerprint, homeStream } = event.data;
    return { status: 'claimed', transferId, fingerprint, homeStream };
  },
};
