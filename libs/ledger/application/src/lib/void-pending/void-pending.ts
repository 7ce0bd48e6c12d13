import {
  type LedgerPendingVoided,
  resolutionById,
  validateResolution,
  type VoidPending,
  voidFingerprint,
} from '@smilepay/ledger/domain';
import { requirePendingHome } from '../post-pending/post-pending';
import { claimTransferIds } from '../streams/claim-transfer-ids';
import type { LedgerDeps } from '../streams/ledger-deps';
import { type LedgerRequestContext, metadataFor } from '../streams/request-context';

export interface VoidPendingInput {
  /** The void's own client-chosen transfer id. */
  id: string;
  pendingId: string;
}

export interface VoidPendingResult {
  homeStream: string;
  voided: LedgerPendingVoided['data'];
  replayed: boolean;
}

/** Voids a pending transfer in its home stream. Nothing is owed to anyone: a void only releases a reservation. */
export async function voidPending(
  deps: LedgerDeps,
  input: VoidPendingInput,
  context: LedgerRequestContext,
): Promise<VoidPendingResult> {
  const command: VoidPending = {
    type: 'VoidPending',
    id: input.id,
    pendingId: input.pendingId,
    timestamp: deps.clock(),
  };
  validateResolution(command);
  const homeStream = await requirePendingHome(deps, input.pendingId);
  const metadata = metadataFor(context);

  await claimTransferIds(
    deps.streams,
    [input.id],
    { fingerprint: voidFingerprint(command, deps.streams.hashHex), homeStream, timestamp: command.timestamp },
    metadata,
  );
  const outcome = await deps.streams.handleAtHome(homeStream, command, metadata);
  const resolution = resolutionById(outcome.book, input.id);
  if (resolution?.type !== 'voided')
    throw new Error(`void ${input.id}: not in ${homeStream} after a successful append`);
  return { homeStream, voided: resolution.data, replayed: outcome.newEvents.length === 0 };
}
