import { claimDecider } from './claim.decider';
import { evolveClaim, initialClaimState } from './claim.state';
import type { ClaimEvent } from './claim.events';
import { deciderSpec } from '../testing/given-when-then';
import {
  CLAIM_ID,
  CUSTOMER_ID,
  RESERVE_ID,
  TRANSFER_ID,
  WALLET_ID,
  approved,
  assigned,
  at,
  filed,
  iso,
  ready,
  reimbursed,
  rejected,
} from '../testing/claim-fixtures';

const spec = deciderSpec(claimDecider, expect);
const approve = (amountMinor = 2500n, approvedBy = 'analyst', transferId = TRANSFER_ID) => ({
  type: 'ApproveClaim' as const,
  amountMinor,
  approvedBy,
  transferId,
  at: at(20),
});
const reject = (reason = 'the customer paid in person', rejectedBy = 'analyst') => ({
  type: 'RejectClaim' as const,
  reason,
  rejectedBy,
  at: at(20),
});
const reimburse = (transferId = TRANSFER_ID) => ({
  type: 'RecordReimbursement' as const,
  transferId,
  reserveAccountId: RESERVE_ID,
  walletAccountId: WALLET_ID,
  at: at(21),
});
const lock = { type: 'RecordFacePaymentLock' as const, at: at(22) };
const faceLocked: ClaimEvent = {
  type: 'ClaimFacePaymentLocked',
  data: { claimId: CLAIM_ID, customerId: CUSTOMER_ID, until: 're_enrollment', lockedAt: iso(22) },
};

describe('ApproveClaim', () => {
  describe('when the claim is assigned with its evidence', () => {
    it('approves up to the claimed amount, naming the reimbursement transfer', () => {
      spec.given(ready).when(approve()).then([approved()]);
      spec
        .given(ready)
        .when(approve(3000n))
        .then([approved('3000')]);
    });

    it('never approves more than was claimed', () => {
      spec.given(ready).when(approve(3001n)).thenThrows('reimbursement_exceeds_claim');
    });

    it('refuses a zero or negative reimbursement', () => {
      spec.given(ready).when(approve(0n)).thenThrows('amountMinor_invalid');
      spec.given(ready).when(approve(-5n)).thenThrows('amountMinor_invalid');
    });

    it('lets only the assignee decide', () => {
      spec.given(ready).when(approve(2500n, 'admin')).thenThrows('not_assignee');
    });
  });

  describe('when the claim is not ready', () => {
    it('refuses before assignment and before the evidence', () => {
      spec.given([filed]).when(approve()).thenThrows('claim_not_assigned');
      spec.given([filed, assigned()]).when(approve()).thenThrows('evidence_missing');
      spec.given([]).when(approve()).thenThrows('claim_not_found');
    });
  });

  describe('when the claim is decided', () => {
    it('does nothing for a retry with the same amount and transfer', () => {
      spec
        .given([...ready, approved()])
        .when(approve())
        .thenNothing();
      spec
        .given([...ready, approved(), reimbursed()])
        .when(approve())
        .thenNothing();
    });

    it('refuses another amount, and any approval of a rejected claim', () => {
      spec
        .given([...ready, approved()])
        .when(approve(2000n))
        .thenThrows('claim_decided');
      spec
        .given([...ready, rejected()])
        .when(approve())
        .thenThrows('claim_decided');
    });
  });
});

describe('RecordReimbursement', () => {
  it('records the reimbursement of the approved amount through the approved transfer', () => {
    spec
      .given([...ready, approved()])
      .when(reimburse())
      .then([reimbursed()]);
  });

  it('does nothing the second time', () => {
    spec
      .given([...ready, approved(), reimbursed()])
      .when(reimburse())
      .thenNothing();
  });

  it('refuses another transfer and an unapproved claim', () => {
    spec
      .given([...ready, approved()])
      .when(reimburse('f7e1c1d2-0b1c-8d5e-8f90-0a1b2c3d4e5f'))
      .thenThrows('transfer_mismatch');
    spec.given(ready).when(reimburse()).thenThrows('claim_not_approved');
    spec
      .given([...ready, rejected()])
      .when(reimburse())
      .thenThrows('claim_not_approved');
  });
});

describe('RejectClaim', () => {
  it('rejects an assigned claim with a reason', () => {
    spec.given(ready).when(reject()).then([rejected()]);
    spec.given([filed, assigned()]).when(reject()).then([rejected()]);
  });

  it('does nothing for a retry and refuses another decision', () => {
    spec
      .given([...ready, rejected()])
      .when(reject())
      .thenNothing();
    spec
      .given([...ready, rejected()])
      .when(reject('another reason'))
      .thenThrows('claim_decided');
    spec
      .given([...ready, approved()])
      .when(reject())
      .thenThrows('claim_decided');
  });

  it('refuses without a reason, before assignment, and from someone else', () => {
    spec.given(ready).when(reject(' ')).thenThrows('reason_invalid');
    spec.given([filed]).when(reject()).thenThrows('claim_not_assigned');
    spec.given(ready).when(reject('no', 'admin')).thenThrows('not_assignee');
  });
});

describe('RecordFacePaymentLock', () => {
  it('locks face payment once the claim is approved', () => {
    spec
      .given([...ready, approved()])
      .when(lock)
      .then([faceLocked]);
    spec
      .given([...ready, approved(), reimbursed()])
      .when(lock)
      .then([faceLocked]);
  });

  it('does nothing the second time', () => {
    spec
      .given([...ready, approved(), reimbursed(), faceLocked])
      .when(lock)
      .thenNothing();
  });

  it('never locks for an undecided or rejected claim', () => {
    spec.given(ready).when(lock).thenThrows('claim_not_approved');
    spec
      .given([...ready, rejected()])
      .when(lock)
      .thenThrows('claim_not_approved');
  });
});

describe('claim state', () => {
  it('folds the whole life of a claim', () => {
    const state = [...ready, approved(), reimbursed(), faceLocked].reduce(evolveClaim, initialClaimState());
    expect(state).toMatchObject({
      status: 'reimbursed',
      assignee: 'analyst',
      evidenceAttached: true,
      faceLocked: true,
      claimedMinor: 3000n,
      approval: { amountMinor: 2500n, transferId: TRANSFER_ID },
    });
  });
});
