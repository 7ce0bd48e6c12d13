import type { Claim } from '@smilepay/claims/domain';
import type { ClaimView } from '@smilepay/shared/contracts';

/** When the claim was decided (approval or rejection), or null while it waits. */
export function decidedAtOf(claim: Claim): string | null {
  if (claim.status === 'approved' || claim.status === 'reimbursed') return claim.approval.approvedAt;
  return claim.status === 'rejected' ? claim.rejection.rejectedAt : null;
}

/** SLA age: how long the claim has waited for its decision; frozen once decided. */
export function slaAgeSeconds(filedAt: string, decidedAt: string | null, now: Date): number {
  const end = decidedAt === null ? now.getTime() : Date.parse(decidedAt);
  return Math.max(0, Math.floor((end - Date.parse(filedAt)) / 1000));
}

/** The wire view straight from the decider's state (the api answers commands with it). */
export function claimViewOf(claim: Claim, now: Date): ClaimView {
  return {
    claimId: claim.claimId,
    customerId: claim.customerId,
    paymentIds: [...claim.paymentIds],
    claimedMinor: claim.claimedMinor.toString(),
    currency: claim.currency,
    reason: claim.reason,
    status: claim.status,
    assignee: claim.assignee,
    filedAt: claim.filedAt,
    slaAgeSeconds: slaAgeSeconds(claim.filedAt, decidedAtOf(claim), now),
  };
}
