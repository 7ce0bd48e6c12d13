import type { CurrencyCode } from '@smilepay/ledger/domain';
import type { ClaimEvent } from './claim.events';

export type ClaimStatus = 'filed' | 'assigned' | 'approved' | 'reimbursed' | 'rejected';

interface ClaimFacts {
  claimId: string;
  customerId: string;
  paymentIds: string[];
  claimedMinor: bigint;
  currency: CurrencyCode;
  reason: string;
  filedBy: string;
  filedAt: string;
  assignee: string | null;
  evidenceAttached: boolean;
  faceLocked: boolean;
}

export interface Approval {
  amountMinor: bigint;
  approvedBy: string;
  transferId: string;
  approvedAt: string;
}

export type Claim =
  | (ClaimFacts & { status: 'filed' })
  | (ClaimFacts & { status: 'assigned'; assignee: string })
  | (ClaimFacts & { status: 'approved'; approval: Approval })
  | (ClaimFacts & { status: 'reimbursed'; approval: Approval; reimbursedAt: string })
  | (ClaimFacts & { status: 'rejected'; rejection: { reason: string; rejectedBy: string; rejectedAt: string } });

export type ClaimState = { status: 'none' } | Claim;

export const initialClaimState = (): ClaimState => ({ status: 'none' });

export const isDecided = (claim: Claim): boolean =>
  claim.status === 'approved' || claim.status === 'reimbursed' || claim.status === 'rejected';

export function evolveClaim(state: ClaimState, event: ClaimEvent): ClaimState {
  if (event.type === 'LossClaimFiled') {
    const d = event.data;
    return {
      status: 'filed',
      claimId: d.claimId,
      customerId: d.customerId,
      paymentIds: [...d.paymentIds],
      claimedMinor: BigInt(d.claimedMinor),
      currency: d.currency,
      reason: d.reason,
      filedBy: d.filedBy,
      filedAt: d.filedAt,
      assignee: null,
      evidenceAttached: false,
      faceLocked: false,
    };
  }
  if (state.status === 'none') return state;
  return evolveFiled(state, event);
}

function evolveFiled(claim: Claim, event: ClaimEvent): Claim {
  switch (event.type) {
    case 'LossClaimFiled':
      return claim;
    case 'ClaimAssigned':
      return { ...claim, status: 'assigned', assignee: event.data.analyst };
    case 'EvidenceAttached':
      return { ...claim, evidenceAttached: true };
    case 'ClaimApproved': {
      const { amountMinor, approvedBy, transferId, approvedAt } = event.data;
      return {
        ...claim,
        status: 'approved',
        approval: { amountMinor: BigInt(amountMinor), approvedBy, transferId, approvedAt },
      };
    }
    case 'ClaimReimbursed':
      if (claim.status !== 'approved') return claim;
      return { ...claim, status: 'reimbursed', reimbursedAt: event.data.reimbursedAt };
    case 'ClaimRejected': {
      const { reason, rejectedBy, rejectedAt } = event.data;
      return { ...claim, status: 'rejected', rejection: { reason, rejectedBy, rejectedAt } };
    }
    case 'ClaimFacePaymentLocked':
      return { ...claim, faceLocked: true };
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}
