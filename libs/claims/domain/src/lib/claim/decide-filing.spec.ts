import { claimDecider } from './claim.decider';
import { deciderSpec } from '../testing/given-when-then';
import {
  PAYMENT_A,
  assigned,
  at,
  evidence,
  evidenceAttached,
  file,
  filed,
  iso,
  rejected,
} from '../testing/claim-fixtures';

const spec = deciderSpec(claimDecider, expect);

describe('FileLossClaim', () => {
  describe('when no claim exists', () => {
    it('files the claim with the amount as a decimal string', () => {
      spec.given([]).when(file()).then([filed]);
    });

    it('refuses a claimed amount above what the payments moved', () => {
      spec
        .given([])
        .when(file({ claimedMinor: 4001n }))
        .thenThrows('claim_exceeds_payments');
      spec
        .given([])
        .when(file({ claimedMinor: 4000n, claimableMinor: 4000n }))
        .then([{ ...filed, data: { ...filed.data, claimedMinor: '4000' } } as typeof filed]);
    });

    it.each([
      ['no payments', { paymentIds: [] }, 'paymentIds_invalid'],
      ['a payment named twice', { paymentIds: [PAYMENT_A, PAYMENT_A] }, 'paymentIds_invalid'],
      ['21 payments', { paymentIds: Array.from({ length: 21 }, (_, i) => `pay_${i}`) }, 'paymentIds_invalid'],
      ['a malformed payment id', { paymentIds: ['bad id'] }, 'paymentId_invalid'],
      ['a zero amount', { claimedMinor: 0n }, 'claimedMinor_invalid'],
      ['a negative amount', { claimedMinor: -1n }, 'claimedMinor_invalid'],
      ['an empty reason', { reason: '   ' }, 'reason_invalid'],
      ['a reason over 500 characters', { reason: 'x'.repeat(501) }, 'reason_invalid'],
      ['an unknown currency', { currency: 'XXX' as never }, 'currency_invalid'],
      ['a malformed customer id', { customerId: '' }, 'customerId_invalid'],
      ['an invalid time', { at: new Date(Number.NaN) }, 'time_invalid'],
    ])('refuses %s', (_name, overrides, code) => {
      spec.given([]).when(file(overrides)).thenThrows(code);
    });
  });

  describe('when the claim exists', () => {
    it('does nothing for a retry with the same facts, whoever retries', () => {
      spec
        .given([filed])
        .when(file({ at: at(30), filedBy: 'admin' }))
        .thenNothing();
    });

    it('refuses the same id with other facts', () => {
      spec
        .given([filed])
        .when(file({ claimedMinor: 2999n }))
        .thenThrows('claim_id_reused');
      spec
        .given([filed])
        .when(file({ paymentIds: [PAYMENT_A] }))
        .thenThrows('claim_id_reused');
    });
  });
});

describe('AssignClaim', () => {
  const assign = (analyst = 'analyst') => ({ type: 'AssignClaim' as const, analyst, at: at(10) });

  it('assigns a filed claim', () => {
    spec.given([filed]).when(assign()).then([assigned()]);
  });

  it('lets another analyst take over an undecided claim', () => {
    spec
      .given([filed, assigned()])
      .when(assign('admin'))
      .then([assigned('admin')]);
  });

  it('does nothing when the assignee is assigned again', () => {
    spec.given([filed, assigned()]).when(assign()).thenNothing();
  });

  it('refuses an unknown claim and a decided one', () => {
    spec.given([]).when(assign()).thenThrows('claim_not_found');
    spec.given([filed, assigned(), evidenceAttached, rejected()]).when(assign('admin')).thenThrows('claim_decided');
  });
});

describe('AttachEvidence', () => {
  const attach = (pack = evidence()) => ({ type: 'AttachEvidence' as const, evidence: pack, at: at(11) });

  it('records the pack with the time it was attached', () => {
    spec.given([filed, assigned()]).when(attach()).then([evidenceAttached]);
  });

  it('freezes the first pack: attaching again changes nothing', () => {
    spec
      .given([filed, assigned(), evidenceAttached])
      .when(attach({ ...evidence(), assembledAt: iso(50) }))
      .thenNothing();
  });

  it('refuses a pack that does not cover exactly the claimed payments', () => {
    spec
      .given([filed])
      .when(attach(evidence([PAYMENT_A])))
      .thenThrows('evidence_mismatch');
    spec
      .given([filed])
      .when(attach({ ...evidence(), customerId: 'cus_other' }))
      .thenThrows('evidence_mismatch');
    spec
      .given([filed])
      .when(attach({ ...evidence(), claimId: 'clm_other' }))
      .thenThrows('evidence_mismatch');
  });

  it('refuses a pack beyond its bounds', () => {
    const pack = evidence();
    pack.payments[0].frameDigests = Array.from({ length: 65 }, () => 'b'.repeat(64));
    spec.given([filed]).when(attach(pack)).thenThrows('evidence_too_large');
  });

  it('refuses an unknown claim', () => {
    spec.given([]).when(attach()).thenThrows('claim_not_found');
  });
});
