import {
  assertBatchSize,
  batchFingerprint,
  type CreateTransfers,
  homeStreamFor,
  type LedgerTransfersRecorded,
  recordedTransfers,
  type TransferRecord,
  type TransferRequest,
  validateTransferBatch,
} from '@smilepay/ledger/domain';
import { deliverCredits, describeFailures } from '../deliver-credits/deliver-credits';
import { claimTransferIds } from '../streams/claim-transfer-ids';
import type { LedgerDeps } from '../streams/ledger-deps';
import { type LedgerRequestContext, metadataFor } from '../streams/request-context';

export interface CreateTransfersInput {
  /** A linked batch: all legs are recorded, in this order, or none is. */
  transfers: readonly TransferRequest[];
}

export interface CreateTransfersResult {
  homeStream: string;
  /** The recorded legs in request order; on a retry, the original ones (original timestamps included). */
  transfers: TransferRecord[];
  /** True when the batch had already been recorded by an earlier request with the same ids and fields. */
  replayed: boolean;
}

/**
 * Records a linked batch: validate, route to the home stream, claim the ids, append at home (the decider checks the
 * guarded account's flag under optimistic concurrency), then deliver credits owed to other flagged accounts.
 */
export async function createTransfers(
  deps: LedgerDeps,
  input: CreateTransfersInput,
  context: LedgerRequestContext,
): Promise<CreateTransfersResult> {
  assertBatchSize(input.transfers);
  const timestamp = deps.clock();
  const accounts = await deps.directory.resolve(input.transfers.flatMap((t) => [t.debitAccountId, t.creditAccountId]));
  // Everything checkable without balances is checked before any id is claimed, so bad input burns no id.
  validateTransferBatch(input.transfers, accounts, timestamp);
  const home = homeStreamFor(input.transfers, accounts);
  const fingerprint = batchFingerprint(input.transfers, deps.streams.hashHex);
  const ids = input.transfers.map((t) => t.id);
  const metadata = metadataFor(context);

  await claimTransferIds(deps.streams, ids, { fingerprint, homeStream: home.streamId, timestamp }, metadata);
  const command: CreateTransfers = { type: 'CreateTransfers', transfers: input.transfers, accounts, timestamp };
  const outcome = await deps.streams.handleAtHome(home.streamId, command, metadata);
  const transfers = recordedTransfers(outcome.book, ids);
  if (transfers === undefined) throw new Error(`batch ${ids[0]}: not in ${home.streamId} after a successful append`);

  const recorded: LedgerTransfersRecorded = {
    type: 'LedgerTransfersRecorded',
    data: { batchId: ids[0], fingerprint, transfers },
  };
  // Delivered on retries too: the process may have died between the home append and the delivery.
  const report = await deliverCredits(deps, recorded, home.streamId, metadata);
  if (report.failed.length > 0)
    deps.logger.warn(`batch ${ids[0]}: credits left to the forwarder: ${describeFailures(report)}`);
  return { homeStream: home.streamId, transfers, replayed: outcome.newEvents.length === 0 };
}
