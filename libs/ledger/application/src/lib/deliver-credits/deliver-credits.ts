import {
  accountStreamId,
  accountsTouchedBy,
  type ApplyCredit,
  creditsOwedBy,
  type LedgerEvent,
} from '@smilepay/ledger/domain';
import type { EventMetadata } from '@smilepay/shared/eventstore';
import type { LedgerDeps } from '../streams/ledger-deps';

export interface DeliveryFailure {
  accountId: string;
  transferId: string;
  error: unknown;
}

export interface DeliveryReport {
  /** Credits appended now. */
  delivered: number;
  /** Credits that had already been applied (a retry, or the other deliverer got there first). */
  alreadyApplied: number;
  failed: DeliveryFailure[];
}

/**
 * Delivers the credits an event recorded in `sourceStream` owes to other flagged accounts, as LedgerCreditApplied
 * in their streams. Idempotent per transfer id, so the service and the forwarder may both deliver the same credit.
 * Never throws: the transfer is already recorded, and a credit that fails to arrive only leaves the account's view
 * lower than the truth until the forwarder delivers it.
 */
export async function deliverCredits(
  deps: Pick<LedgerDeps, 'streams' | 'directory'>,
  event: LedgerEvent,
  sourceStream: string,
  metadata: EventMetadata,
): Promise<DeliveryReport> {
  let owed: ApplyCredit[];
  try {
    owed = creditsOwedBy(event, sourceStream, await deps.directory.resolve(accountsTouchedBy(event)));
  } catch (error) {
    return { delivered: 0, alreadyApplied: 0, failed: [{ accountId: '', transferId: '', error }] };
  }
  const results = await Promise.allSettled(
    owed.map((credit) => deps.streams.accounts.handle(accountStreamId(credit.accountId), credit, metadata)),
  );
  const report: DeliveryReport = { delivered: 0, alreadyApplied: 0, failed: [] };
  results.forEach((result, index) => {
    if (result.status === 'rejected') {
      report.failed.push({
        accountId: owed[index].accountId,
        transferId: owed[index].transferId,
        error: result.reason,
      });
    } else if (result.value.newEvents.length > 0) report.delivered += 1;
    else report.alreadyApplied += 1;
  });
  return report;
}

export function describeFailures(report: DeliveryReport): string {
  return report.failed
    .map(
      (f) =>
        `${f.transferId || '?'} → ${f.accountId || '?'}: ${f.error instanceof Error ? f.error.message : String(f.error)}`,
    )
    .join('; ');
}
