import {
  type AccountDefinition,
  assertLedgerId,
  type Balances,
  guardedSide,
  LedgerError,
} from '@smilepay/ledger/domain';
import type { LedgerDeps } from '../streams/ledger-deps';

export interface AccountView {
  account: AccountDefinition;
  /**
   * The account stream's own view, for flagged accounts only: exact on the guarded side, a lower bound on the other
   * side until credits recorded elsewhere are delivered. Undefined for unflagged accounts, whose entries live in
   * other streams: read the `ledger_balances` projection for them (and for dashboards in general).
   */
  balances: Balances | undefined;
  /** Revision of the account stream the view was read at. */
  revision: bigint;
}

export async function getAccountView(
  deps: Pick<LedgerDeps, 'streams' | 'directory'>,
  accountId: string,
): Promise<AccountView> {
  const { state, revision } = await deps.streams.loadAccount(assertLedgerId(accountId, 'accountId'));
  if (state.status !== 'open' || revision === undefined) {
    throw new LedgerError('account_not_found', `account ${accountId} does not exist`, { accountId });
  }
  deps.directory.remember(state.account);
  return {
    account: state.account,
    balances: guardedSide(state.account) === undefined ? undefined : state.balances,
    revision,
  };
}
