import { customerDecider } from './customer.decider';
import type { EnrollFace } from './customer.commands';
import { deciderSpec } from '../testing/given-when-then';
import {
  CUSTOMER_ID,
  at,
  clearCheck,
  consentGiven,
  enrolledCustomer,
  faceEnrolled,
  iso,
  registered,
} from '../testing/customer-fixtures';

const spec = deciderSpec(customerDecider, expect);
const check = {
  bestScore: 0.1,
  closestCustomerId: null,
  comparedTemplates: 3,
  tooCloseThreshold: 0.4,
  duplicateThreshold: 0.6,
};
const enroll: EnrollFace = {
  type: 'EnrollFace',
  templateRef: 'tpl_1',
  quality: 0.9,
  modelVersion: 'arcface-r100@1',
  liveness: 'live',
  duplicateCheck: { outcome: 'clear', ...check },
  at: at(2),
};

describe('EnrollFace', () => {
  describe('when consent is given', () => {
    it('records a clear duplicate check and the face, by reference only', () => {
      spec.given([registered, consentGiven]).when(enroll).then([clearCheck, faceEnrolled]);
    });

    it('enrols a face too close to another and records the closeness, which forces a PIN', () => {
      const tooClose = { ...check, outcome: 'too_close' as const, bestScore: 0.5, closestCustomerId: 'cus_2' };
      spec
        .given([registered, consentGiven])
        .when({ ...enroll, duplicateCheck: tooClose })
        .then([
          {
            type: 'DuplicateFaceCheckRecorded',
            data: { ...clearCheck.data, outcome: 'too_close', bestScore: 0.5, closestCustomerId: 'cus_2' },
          },
          faceEnrolled,
        ]);
    });

    it('records a duplicate check and enrols nothing', () => {
      const duplicate = { ...check, outcome: 'duplicate' as const, bestScore: 0.93, closestCustomerId: 'cus_2' };
      spec
        .given([registered, consentGiven])
        .when({ ...enroll, duplicateCheck: duplicate })
        .then([
          {
            type: 'DuplicateFaceCheckRecorded',
            data: { ...clearCheck.data, outcome: 'duplicate', bestScore: 0.93, closestCustomerId: 'cus_2' },
          },
        ]);
    });

    it('records an empty gallery as clear', () => {
      const empty = { ...check, bestScore: null, comparedTemplates: 0 };
      spec
        .given([registered, consentGiven])
        .when({ ...enroll, duplicateCheck: { outcome: 'clear', ...empty } })
        .then([
          { type: 'DuplicateFaceCheckRecorded', data: { ...clearCheck.data, bestScore: null, comparedTemplates: 0 } },
          faceEnrolled,
        ]);
    });

    it('refuses a check whose outcome contradicts its score', () => {
      spec
        .given([registered, consentGiven])
        .when({ ...enroll, duplicateCheck: { ...check, outcome: 'clear', bestScore: 0.7 } })
        .thenThrows('duplicateCheck_invalid');
      spec
        .given([registered, consentGiven])
        .when({ ...enroll, duplicateCheck: { ...check, outcome: 'clear', tooCloseThreshold: 0.7 } })
        .thenThrows('duplicateCheck_invalid');
    });

    it('refuses a spoofed capture, a bad quality and a bad reference', () => {
      spec
        .given([registered, consentGiven])
        .when({ ...enroll, liveness: 'spoof' })
        .thenThrows('liveness_failed');
      spec
        .given([registered, consentGiven])
        .when({ ...enroll, quality: 1.2 })
        .thenThrows('quality_invalid');
      spec
        .given([registered, consentGiven])
        .when({ ...enroll, templateRef: '' })
        .thenThrows('templateRef_invalid');
    });
  });

  describe('when there is no biometric consent', () => {
    it('refuses the capture', () => {
      spec.given([registered]).when(enroll).thenThrows('biometric_consent_required');
    });

    it('refuses the capture after the consent was withdrawn', () => {
      const withdrawn = {
        type: 'BiometricConsentWithdrawn' as const,
        data: { customerId: CUSTOMER_ID, withdrawnAt: iso(5) },
      };
      spec
        .given([registered, consentGiven, withdrawn])
        .when({ ...enroll, at: at(6) })
        .thenThrows('biometric_consent_required');
    });
  });

  describe('when a face is enrolled', () => {
    it('does nothing for the same template (a retry)', () => {
      spec.given(enrolledCustomer).when(enroll).thenNothing();
    });

    it('refuses a second face', () => {
      spec
        .given(enrolledCustomer)
        .when({ ...enroll, templateRef: 'tpl_2' })
        .thenThrows('face_already_enrolled');
    });
  });

  describe('when the same template was refused as a duplicate', () => {
    it('does nothing', () => {
      const duplicate = { ...check, outcome: 'duplicate' as const, bestScore: 0.93, closestCustomerId: 'cus_2' };
      const refused = {
        type: 'DuplicateFaceCheckRecorded' as const,
        data: { ...clearCheck.data, outcome: 'duplicate' as const, bestScore: 0.93, closestCustomerId: 'cus_2' },
      };
      spec
        .given([registered, consentGiven, refused])
        .when({ ...enroll, duplicateCheck: duplicate })
        .thenNothing();
    });
  });
});

describe('RequirePinForFacePayments', () => {
  const command = { type: 'RequirePinForFacePayments' as const, relatedCustomerId: 'cus_2', at: at(50) };
  const required = {
    type: 'FacePinRequired' as const,
    data: {
      customerId: CUSTOMER_ID,
      reason: 'look_alike_enrolled' as const,
      relatedCustomerId: 'cus_2',
      requiredAt: iso(50),
    },
  };

  it('forces the PIN on an enrolled customer once a look-alike enrols', () => {
    spec.given(enrolledCustomer).when(command).then([required]);
  });

  it('does nothing when the PIN is already forced or there is no face', () => {
    spec
      .given([...enrolledCustomer, required])
      .when(command)
      .thenNothing();
    spec.given([registered]).when(command).thenNothing();
  });

  it('refuses a malformed related customer', () => {
    spec
      .given(enrolledCustomer)
      .when({ ...command, relatedCustomerId: '' })
      .thenThrows('relatedCustomerId_invalid');
  });
});

describe('WithdrawBiometricConsent', () => {
  const withdraw = { type: 'WithdrawBiometricConsent' as const, at: at(100) };

  it('withdraws the consent and erases the enrolled template', () => {
    spec
      .given(enrolledCustomer)
      .when(withdraw)
      .then([
        { type: 'BiometricConsentWithdrawn', data: { customerId: CUSTOMER_ID, withdrawnAt: iso(100) } },
        {
          type: 'BiometricsErased',
          data: { customerId: CUSTOMER_ID, templateRefs: ['tpl_1'], reason: 'consent_withdrawn', erasedAt: iso(100) },
        },
      ]);
  });

  it('records the erasure even with no face enrolled, since the data key is destroyed anyway', () => {
    spec
      .given([registered, consentGiven])
      .when(withdraw)
      .then([
        { type: 'BiometricConsentWithdrawn', data: { customerId: CUSTOMER_ID, withdrawnAt: iso(100) } },
        {
          type: 'BiometricsErased',
          data: { customerId: CUSTOMER_ID, templateRefs: [], reason: 'consent_withdrawn', erasedAt: iso(100) },
        },
      ]);
  });

  it('does nothing when already withdrawn', () => {
    const events = customerDecider.decide(
      withdraw,
      enrolledCustomer.reduce(customerDecider.evolve, customerDecider.initialState()),
    );
    spec
      .given([...enrolledCustomer, ...events])
      .when({ ...withdraw, at: at(200) })
      .thenNothing();
  });

  it('refuses when no consent was ever given', () => {
    spec.given([registered]).when(withdraw).thenThrows('biometric_consent_not_given');
  });
});

describe('EraseBiometrics', () => {
  const erase = { type: 'EraseBiometrics' as const, reason: 'erasure_request' as const, at: at(100) };
  const erased = (reason: 'erasure_request' | 'retention_expired') => ({
    type: 'BiometricsErased' as const,
    data: { customerId: CUSTOMER_ID, templateRefs: ['tpl_1'], reason, erasedAt: iso(100) },
  });

  it('erases the enrolled face on request', () => {
    spec
      .given(enrolledCustomer)
      .when(erase)
      .then([erased('erasure_request')]);
  });

  it('erases a stale template for retention only while it is still the enrolled one', () => {
    const purge = {
      type: 'EraseBiometrics' as const,
      reason: 'retention_expired' as const,
      templateRef: 'tpl_1',
      at: at(100),
    };
    spec
      .given(enrolledCustomer)
      .when(purge)
      .then([erased('retention_expired')]);
    spec
      .given(enrolledCustomer)
      .when({ ...purge, templateRef: 'tpl_old' })
      .thenNothing();
    spec
      .given(enrolledCustomer)
      .when({ ...purge, templateRef: undefined })
      .thenThrows('templateRef_invalid');
  });

  it('does nothing when no face is enrolled', () => {
    spec.given([registered, consentGiven]).when(erase).thenNothing();
    spec
      .given([...enrolledCustomer, erased('erasure_request')])
      .when(erase)
      .thenNothing();
  });

  it('lets the customer enrol again afterwards, with a fresh check', () => {
    spec
      .given([...enrolledCustomer, erased('erasure_request')])
      .when({ ...enroll, templateRef: 'tpl_2', at: at(2) })
      .then([
        { ...clearCheck, data: { ...clearCheck.data, templateRef: 'tpl_2' } },
        { ...faceEnrolled, data: { ...faceEnrolled.data, templateRef: 'tpl_2' } },
      ]);
  });
});
