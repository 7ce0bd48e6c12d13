import { terminalStreamId } from '@smilepay/enrollment/domain';
import { metadataFor, type RequestContext } from '../context';
import type { EnrollmentDeps } from '../enrollment-deps';

export interface RegisterTerminalInput {
  terminalId: string;
  merchantId: string;
  /** The merchant's ledger account (opened by whoever onboards the merchant). */
  merchantAccountId: string;
  at: Date;
}

export async function registerTerminal(
  deps: EnrollmentDeps,
  input: RegisterTerminalInput,
  context: RequestContext,
): Promise<{ created: boolean }> {
  const result = await deps.terminals.handle(
    terminalStreamId(input.terminalId),
    { type: 'RegisterTerminal', ...input },
    metadataFor(context),
  );
  return { created: result.newEvents.length > 0 };
}
