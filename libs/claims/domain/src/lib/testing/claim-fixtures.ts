import type { FileLossClaim } from '../claim/claim.commands';
import type { ClaimEvent } from '../claim/claim.events';
import type { ClaimEvidence, EvidencePaymentFacts } from '../claim/claim.evidence';

/** Shared histories for the claim decider specs. */
export const CLAIM_ID = 'clm_1';
export const CUSTOMER_ID = 'cus_1';
export const PAYMENT_A = 'a7e1c1d2-0b1c-4d5e-8f90-0a1b2c3d4e5f';
export const PAYMENT_B = 'b7e1c1d2-0b1c-4d5e-8f90-0a1b2c3d4e5f';
export const TRANSFER_ID = 'c7e1c1d2-0b1c-8d5e-8f90-0a1b2c3d4e5f';
export const RESERVE_ID = 'd7e1c1d2-0b1c-8d5e-8f90-0a1b2c3d4e5f';
export const WALLET_ID = 'e7e1c1d2-0b1c-4d5e-8f90-0a1b2c3d4e5f';
export const T0 = new Date('2025-06-01T12:00:00.000Z');
export const at = (seconds: number): Date => new Date(T0.getTime() + seconds * 1000);
export const iso = (seconds: number): string => at(seconds).toISOString();

export const file = (overrides: Partial<FileLossClaim> = {}): FileLossClaim => ({
  type: 'FileLossClaim',
  claimId: CLAIM_ID,
  customerId: CUSTOMER_ID,
  paymentIds: [PAYMENT_A, PAYMENT_B],
  claimedMinor: 3000n,
  currency: 'EUR',
  reason: 'I was at home when these payments were made',
  filedBy: 'analyst',
  claimableMinor: 4000n,
  at: at(0),
  ...overrides,
});

export const filed: ClaimEvent = {
  type: 'LossClaimFiled',
  data: {
    claimId: CLAIM_ID,
    customerId: CUSTOMER_ID,
    paymentIds: [PAYMENT_A, PAYMENT_B],
    claimedMinor: '3000',
    currency: 'EUR',
    reason: 'I was at home when these payments were made',
    filedBy: 'analyst',
    filedAt: iso(0),
  },
};

export const assigned = (analyst = 'analyst', seconds = 10): ClaimEvent => ({
  type: 'ClaimAssigned',
  data: { claimId: CLAIM_ID, analyst, assignedAt: iso(seconds) },
});

const evidencePayment = (paymentId: string): EvidencePaymentFacts => ({
  paymentId,
  amountMinor: '2000',
  currency: 'EUR',
  status: 'captured',
  merchantId: 'mer_1',
  terminalId: 'ter_1',
  occurredAt: iso(-600),
  livenessVerdict: 'live',
  livenessScores: [{ check: 'fused', score: 0.91 }],
  matchScore: 0.52,
  matchThreshold: 0.5,
  frameDigests: ['a'.repeat(64)],
});

export const evidence = (paymentIds = [PAYMENT_A, PAYMENT_B]): ClaimEvidence => ({
  claimId: CLAIM_ID,
  customerId: CUSTOMER_ID,
  assembledAt: iso(11),
  payments: paymentIds.map(evidencePayment),
  recentActivity: [],
});

export const evidenceAttached: ClaimEvent = { type: 'EvidenceAttached', data: { ...evidence(), attachedAt: iso(11) } };

export const approved = (amountMinor = '2500', approvedBy = 'analyst'): ClaimEvent => ({
  type: 'ClaimApproved',
  data: {
    claimId: CLAIM_ID,
    customerId: CUSTOMER_ID,
    amountMinor,
    currency: 'EUR',
    approvedBy,
    transferId: TRANSFER_ID,
    approvedAt: iso(20),
  },
});

export const reimbursed = (amountMinor = '2500'): ClaimEvent => ({
  type: 'ClaimReimbursed',
  data: {
    claimId: CLAIM_ID,
    customerId: CUSTOMER_ID,
    transferId: TRANSFER_ID,
    amountMinor,
    currency: 'EUR',
    reserveAccountId: RESERVE_ID,
    walletAccountId: WALLET_ID,
    reimbursedAt: iso(21),
  },
});

export const rejected = (reason = 'the customer paid in person', rejectedBy = 'analyst'): ClaimEvent => ({
  type: 'ClaimRejected',
  data: { claimId: CLAIM_ID, reason, rejectedBy, rejectedAt: iso(20) },
});

export const ready = [filed, assigned(), evidenceAttached];
