import type { Decider } from '@smilepay/shared/domain';
import { type Book, emptyBook, evolveBook } from '../book';
import type { LedgerCommand } from '../commands';
import { decideCreateTransfers } from '../decisions/create-transfers';
import { decideExpirePending, decidePostPending, decideVoidPending } from '../decisions/resolve-pending';
import { LedgerError } from '../errors';
import type { Sha256HexOf } from '../fingerprint';
import type { LedgerEvent } from '../events';
import { sha256Hex } from '../sha256';

/**
 * `ledger_transfer-<firstTransferId>`: one batch that hits no guarded side, then the post, void or expiry of its
 * pending legs. No balance is checked here: by routing, none of these entries can break a flag.
 */
export type TransferStreamState = { status: 'empty' } | { status: 'recorded'; batchId: string; book: Book };

/** The transfer stream's decider, fingerprinting requests with `hashHex` (see Sha256HexOf). */
export function transferStreamDeciderWith(
  hashHex: Sha256HexOf,
): Decider<LedgerCommand, LedgerEvent, TransferStreamState> {
  return {
    initialState: () => ({ status: 'empty' }),
    decide: (command, state) => decideForTransfer(command, state, hashHex),
    evolve: evolveTransfer,
  };
}

export const transferStreamDecider = transferStreamDeciderWith(sha256Hex);

function decideForTransfer(command: LedgerCommand, state: TransferStreamState, hashHex: Sha256HexOf): LedgerEvent[] {
  const book = state.status === 'recorded' ? state.book : emptyBook();
  switch (command.type) {
    case 'CreateTransfers':
      // The stream is named after its batch's first id: any other batch belongs in another stream.
      if (state.status === 'recorded' && command.transfers[0]?.id !== state.batchId) {
        throw new LedgerError('wrong_home_stream', `stream holds batch ${state.batchId}`, { batchId: state.batchId });
      }
      return decideCreateTransfers(command, book, undefined, hashHex);
    case 'PostPending':
      return decidePostPending(command, book, hashHex);
    case 'VoidPending':
      return decideVoidPending(command, book, hashHex);
    case 'ExpirePending':
      return decideExpirePending(command, book);
    case 'OpenAccount':
    case 'ApplyCredit':
      throw new LedgerError('command_not_supported_here', `${command.type} belongs in an account stream`);
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

function evolveTransfer(state: TransferStreamState, event: LedgerEvent): TransferStreamState {
  if (event.type === 'LedgerTransfersRecorded' && state.status === 'empty') {
    return { status: 'recorded', batchId: event.data.batchId, book: evolveBook(emptyBook(), event) };
  }
  if (state.status === 'empty') return state;
  return { ...state, book: evolveBook(state.book, event) };
}
