import { type AccountDefinition, accountStreamId, type OpenAccount } from '@smilepay/ledger/domain';
import type { LedgerDeps } from '../streams/ledger-deps';
import { type LedgerRequestContext, metadataFor } from '../streams/request-context';

export type OpenAccountInput = Omit<OpenAccount, 'type' | 'timestamp'>;

export interface OpenAccountResult {
  account: AccountDefinition;
  /** False when the account already existed with this definition (an idempotent retry). */
  created: boolean;
}

export async function openAccount(
  deps: LedgerDeps,
  input: OpenAccountInput,
  context: LedgerRequestContext,
): Promise<OpenAccountResult> {
  const command: OpenAccount = { ...input, type: 'OpenAccount', timestamp: deps.clock() };
  const result = await deps.streams.accounts.handle(accountStreamId(input.accountId), command, metadataFor(context));
  if (result.state.status !== 'open') throw new Error(`account ${input.accountId}: stream not open after OpenAccount`);
  deps.directory.remember(result.state.account);
  return { account: result.state.account, created: result.newEvents.length > 0 };
}
