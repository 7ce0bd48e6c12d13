import { type ClaimTransferId, transferIdStreamId } from '@smilepay/ledger/domain';
import { DomainError } from '@smilepay/shared/domain';
import type { EventMetadata } from '@smilepay/shared/eventstore';
import type { LedgerStreams } from './ledger-streams';

/**
 * Claims every id of a request in `ledger_transferid-<id>` before the request reaches its home stream, so an id is
 * used by one request in the whole ledger, whichever home a reuse would land in. Claims are independent streams
 * and are written concurrently (at most one per leg of a bounded batch). A refused claim refuses the request; ids
 * already claimed stay reserved for this same request, which may be retried.
 * Ids are fresh client uuids, so each claim is appended with `no_stream` without reading first; only a retry or a
 * reuse finds the stream there, and then it is read and decided as usual.
 */
export async function claimTransferIds(
  streams: LedgerStreams,
  transferIds: readonly string[],
  claim: Pick<ClaimTransferId, 'fingerprint' | 'homeStream' | 'timestamp'>,
  metadata: EventMetadata,
): Promise<void> {
  const results = await Promise.allSettled(
    transferIds.map((transferId) =>
      streams.transferIds.handle(
        transferIdStreamId(transferId),
        { type: 'ClaimTransferId', transferId, ...claim },
        metadata,
        { assumeNoStream: true },
      ),
    ),
  );
  const failures = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
  if (failures.length > 0) throw failures.find((error) => error instanceof DomainError) ?? failures[0];
}

/** The home stream a pending transfer was claimed for: where its post, void or expiry must be written. */
export async function pendingHomeStream(streams: LedgerStreams, pendingId: string): Promise<string | undefined> {
  const claim = await streams.loadClaim(pendingId);
  return claim.status === 'claimed' ? claim.homeStream : undefined;
}
