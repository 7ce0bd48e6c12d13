import type { Decider } from '@smilepay/shared/domain';
import { type AccountDefinition, type Balances, guardedSide, zeroBalances } from '../account';
import { applyDeltasFor, balanceDeltasOf } from '../balances';
import { type Book, emptyBook, evolveBook } from '../book';
import type { LedgerCommand } from '../commands';
import { decideApplyCredit } from '../decisions/apply-credit';
import { decideCreateTransfers } from '../decisions/create-transfers';
import { decideOpenAccount, definitionOf } from '../decisions/open-account';
import { decideExpirePending, decidePostPending, decideVoidPending } from '../decisions/resolve-pending';
import { LedgerError } from '../errors';
import type { Sha256HexOf } from '../fingerprint';
import type { LedgerEvent } from '../events';
import { PersistentMap } from '../persistent-map';
import { sha256Hex } from '../sha256';

/**
 * `ledger_account-<id>`: the account's definition and, for a flagged account, the single writer of its guarded side.
 * `balances` are the account's own view: exact for the guarded side, a lower bound for the other side until
 * credits recorded elsewhere are delivered, so a flag checked against them can never be broken by delay.
 */
export type AccountStreamState =
  | { status: 'unopened' }
  | {
      status: 'open';
      account: AccountDefinition;
      balances: Balances;
      book: Book;
      /** Transfer ids already delivered as LedgerCreditApplied. */
      appliedCredits: PersistentMap<true>;
    };

type OpenState = Extract<AccountStreamState, { status: 'open' }>;

/** The account stream's decider, fingerprinting requests with `hashHex` (see Sha256HexOf). */
export function accountStreamDeciderWith(
  hashHex: Sha256HexOf,
): Decider<LedgerCommand, LedgerEvent, AccountStreamState> {
  return {
    initialState: () => ({ status: 'unopened' }),
    decide: (command, state) => decideForAccount(command, state, hashHex),
    evolve: evolveAccount,
  };
}

export const accountStreamDecider = accountStreamDeciderWith(sha256Hex);

function decideForAccount(command: LedgerCommand, state: AccountStreamState, hashHex: Sha256HexOf): LedgerEvent[] {
  if (command.type === 'OpenAccount')
    return decideOpenAccount(command, state.status === 'open' ? state.account : undefined);
  if (state.status === 'unopened') throw new LedgerError('account_not_found', 'the account has not been opened');
  switch (command.type) {
    case 'ApplyCredit':
      return decideApplyCredit(command, state.account, state.book, state.appliedCredits);
    case 'CreateTransfers':
      return decideCreateTransfers(
        command,
        guardedBook(state).book,
        { account: state.account, balances: state.balances },
        hashHex,
      );
    case 'PostPending':
      return decidePostPending(command, guardedBook(state).book, hashHex);
    case 'VoidPending':
      return decideVoidPending(command, guardedBook(state).book, hashHex);
    case 'ExpirePending':
      return decideExpirePending(command, guardedBook(state).book);
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

/** Only flagged accounts are home streams; an unflagged account's stream holds its opening and nothing else. */
function guardedBook(state: OpenState): OpenState {
  if (guardedSide(state.account) === undefined) {
    throw new LedgerError('wrong_home_stream', `account ${state.account.id} is unflagged: it is never a home stream`);
  }
  return state;
}

function evolveAccount(state: AccountStreamState, event: LedgerEvent): AccountStreamState {
  if (event.type === 'LedgerAccountOpened') {
    if (state.status === 'open') return state;
    return {
      status: 'open',
      account: definitionOf(event),
      balances: zeroBalances(),
      book: emptyBook(),
      appliedCredits: PersistentMap.empty(),
    };
  }
  if (state.status === 'unopened') return state;
  if (event.type === 'LedgerCreditApplied') {
    const { side, amount, transferId } = event.data;
    const posted = BigInt(amount);
    const balances =
      side === 'credit'
        ? { ...state.balances, creditsPosted: state.balances.creditsPosted + posted }
        : { ...state.balances, debitsPosted: state.balances.debitsPosted + posted };
    return { ...state, balances, appliedCredits: state.appliedCredits.set(transferId, true) };
  }
  return {
    ...state,
    balances: applyDeltasFor(state.account.id, state.balances, balanceDeltasOf(event)),
    book: evolveBook(state.book, event),
  };
}
