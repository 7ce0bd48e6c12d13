import { customerDecider } from './customer.decider';
import { deciderSpec } from '../testing/given-when-then';
import {
  CONSENT_SHA,
  CUSTOMER_ID,
  PHONE,
  WALLET,
  at,
  consentGiven,
  iso,
  registered,
} from '../testing/customer-fixtures';

const spec = deciderSpec(customerDecider, expect);
const register = {
  type: 'RegisterCustomer' as const,
  customerId: CUSTOMER_ID,
  phoneE164: PHONE,
  walletAccountId: WALLET,
  at: at(0),
};
const consent = {
  type: 'GiveBiometricConsent' as const,
  consentTextVersion: 'bio-2025-01',
  consentTextSha256: CONSENT_SHA,
  purpose: 'face payment authentication',
  retentionTermDays: 1095,
  at: at(1),
};

describe('RegisterCustomer', () => {
  describe('when the customer is new', () => {
    it('registers the phone in E.164 and the wallet account', () => {
      spec.given([]).when(register).then([registered]);
    });

    it('refuses a phone that is not E.164', () => {
      spec
        .given([])
        .when({ ...register, phoneE164: '13800138000' })
        .thenThrows('phone_invalid');
    });

    it('refuses malformed ids and a missing time', () => {
      spec
        .given([])
        .when({ ...register, customerId: '' })
        .thenThrows('customerId_invalid');
      spec
        .given([])
        .when({ ...register, walletAccountId: 'has space' })
        .thenThrows('walletAccountId_invalid');
      spec
        .given([])
        .when({ ...register, at: new Date('nope') })
        .thenThrows('time_invalid');
    });
  });

  describe('when the customer is registered', () => {
    it('does nothing for the same registration (a retry)', () => {
      spec
        .given([registered])
        .when({ ...register, at: at(60) })
        .thenNothing();
    });

    it('refuses other details', () => {
      spec
        .given([registered])
        .when({ ...register, phoneE164: '+8613900139000' })
        .thenThrows('customer_already_registered');
    });
  });
});

describe('GiveBiometricConsent', () => {
  describe('when the customer is registered', () => {
    it('records the consent on its own, with the text version, hash, purpose and retention', () => {
      spec.given([registered]).when(consent).then([consentGiven]);
    });

    it('refuses a hash that is not SHA-256 hex, an empty purpose, and retention out of range', () => {
      spec
        .given([registered])
        .when({ ...consent, consentTextSha256: 'A'.repeat(64) })
        .thenThrows('consentTextSha256_invalid');
      spec
        .given([registered])
        .when({ ...consent, purpose: '  ' })
        .thenThrows('purpose_invalid');
      spec
        .given([registered])
        .when({ ...consent, retentionTermDays: 0 })
        .thenThrows('retentionTermDays_invalid');
      spec
        .given([registered])
        .when({ ...consent, retentionTermDays: 1.5 })
        .thenThrows('retentionTermDays_invalid');
    });
  });

  describe('when the same consent is already given', () => {
    it('does nothing', () => {
      spec
        .given([registered, consentGiven])
        .when({ ...consent, at: at(99) })
        .thenNothing();
    });

    it('records a new version of the text as a new consent', () => {
      const v2 = { ...consent, consentTextVersion: 'bio-2025-06', consentTextSha256: 'b'.repeat(64), at: at(99) };
      spec
        .given([registered, consentGiven])
        .when(v2)
        .then([
          {
            type: 'BiometricConsentGiven',
            data: {
              ...consentGiven.data,
              consentTextVersion: 'bio-2025-06',
              consentTextSha256: 'b'.repeat(64),
              givenAt: iso(99),
            },
          },
        ]);
    });
  });

  describe('when the customer does not exist', () => {
    it('refuses', () => {
      spec.given([]).when(consent).thenThrows('customer_not_found');
    });
  });
});
