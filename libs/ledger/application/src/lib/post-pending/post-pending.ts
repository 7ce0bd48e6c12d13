import {
  LedgerError,
  type LedgerPendingPosted,
  type PostPending,
  postFingerprint,
  resolutionById,
  validateResolution,
} from '@smilepay/ledger/domain';
import { deliverCredits, describeFailures } from '../deliver-credits/deliver-credits';
import { claimTransferIds, pendingHomeStream } from '../streams/claim-transfer-ids';
import type { LedgerDeps } from '../streams/ledger-deps';
import { type LedgerRequestContext, metadataFor } from '../streams/request-context';

export interface PostPendingInput {
  /** The post's own client-chosen transfer id. */
  id: string;
  pendingId: string;
  /** Omitted: post the full pending amount. */
  amount?: bigint;
}

export interface PostPendingResult {
  homeStream: string;
  posted: LedgerPendingPosted['data'];
  replayed: boolean;
}

/** Posts a pending transfer in its home stream (serialised with the reservation), then delivers the posted credit. */
export async function postPending(
  deps: LedgerDeps,
  input: PostPendingInput,
  context: LedgerRequestContext,
): Promise<PostPendingResult> {
  const command: PostPending = {
    type: 'PostPending',
    id: input.id,
    pendingId: input.pendingId,
    timestamp: deps.clock(),
  };
  if (input.amount !== undefined) command.amount = input.amount;
  validateResolution(command);
  const homeStream = await requirePendingHome(deps, input.pendingId);
  const metadata = metadataFor(context);

  await claimTransferIds(
    deps.streams,
    [input.id],
    { fingerprint: postFingerprint(command, deps.streams.hashHex), homeStream, timestamp: command.timestamp },
    metadata,
  );
  const outcome = await deps.streams.handleAtHome(homeStream, command, metadata);
  const resolution = resolutionById(outcome.book, input.id);
  if (resolution?.type !== 'posted')
    throw new Error(`post ${input.id}: not in ${homeStream} after a successful append`);

  const report = await deliverCredits(
    deps,
    { type: 'LedgerPendingPosted', data: resolution.data },
    homeStream,
    metadata,
  );
  if (report.failed.length > 0)
    deps.logger.warn(`post ${input.id}: credits left to the forwarder: ${describeFailures(report)}`);
  return { homeStream, posted: resolution.data, replayed: outcome.newEvents.length === 0 };
}

/** A pending transfer is found through its id claim, which names the stream it was recorded in. */
export async function requirePendingHome(deps: Pick<LedgerDeps, 'streams'>, pendingId: string): Promise<string> {
  const homeStream = await pendingHomeStream(deps.streams, pendingId);
  if (homeStream === undefined)
    throw new LedgerError('pending_transfer_not_found', `no pending transfer ${pendingId}`, { pendingId });
  return homeStream;
}
