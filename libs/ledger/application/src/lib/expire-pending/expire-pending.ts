import { assertLedgerId, type ExpirePending, type LedgerPendingExpired } from '@smilepay/ledger/domain';
import { requirePendingHome } from '../post-pending/post-pending';
import type { LedgerDeps } from '../streams/ledger-deps';
import { type LedgerRequestContext, metadataFor } from '../streams/request-context';

export interface ExpirePendingInput {
  pendingId: string;
  /** The sweeper's notion of now; defaults to the service clock. */
  now?: string;
}

export interface ExpirePendingResult {
  homeStream: string;
  expired: LedgerPendingExpired['data'];
  replayed: boolean;
}

/**
 * Expires a pending transfer whose timeout has passed. No id is claimed: an expiry has no client id, and expiring
 * twice is a no-op in the decider, so several sweepers may race safely.
 */
export async function expirePending(
  deps: LedgerDeps,
  input: ExpirePendingInput,
  context: LedgerRequestContext,
): Promise<ExpirePendingResult> {
  const command: ExpirePending = {
    type: 'ExpirePending',
    pendingId: assertLedgerId(input.pendingId, 'pendingId'),
    now: input.now ?? deps.clock(),
  };
  const homeStream = await requirePendingHome(deps, input.pendingId);
  const outcome = await deps.streams.handleAtHome(homeStream, command, metadataFor(context));
  const entry = outcome.book.pendings.get(input.pendingId);
  if (entry?.status !== 'expired')
    throw new Error(`expiry of ${input.pendingId}: not in ${homeStream} after a successful append`);
  return { homeStream, expired: entry.expired, replayed: outcome.newEvents.length === 0 };
}
