import type {
  BiometricConsentGiven,
  CustomerEvent,
  CustomerRegistered,
  DuplicateFaceCheckRecorded,
  FaceEnrolled,
  PinSet,
} from '../customer/customer.events';

/** Shared histories for the customer decider specs. */
export const CUSTOMER_ID = 'cus_1';
export const PHONE = '+8613800138000';
export const WALLET = 'acc_wallet_1';
export const CONSENT_SHA = 'a'.repeat(64);
export const T0 = new Date('2025-01-01T10:00:00.000Z');
export const at = (secondsAfterT0: number): Date => new Date(T0.getTime() + secondsAfterT0 * 1000);
export const iso = (secondsAfterT0: number): string => at(secondsAfterT0).toISOString();

export const registered: CustomerRegistered = {
  type: 'CustomerRegistered',
  data: { customerId: CUSTOMER_ID, phoneE164: PHONE, walletAccountId: WALLET, registeredAt: iso(0) },
};

export const consentGiven: BiometricConsentGiven = {
  type: 'BiometricConsentGiven',
  data: {
    customerId: CUSTOMER_ID,
    consentTextVersion: 'bio-2025-01',
    consentTextSha256: CONSENT_SHA,
    purpose: 'face payment authentication',
    retentionTermDays: 1095,
    givenAt: iso(1),
  },
};

export const clearCheck: DuplicateFaceCheckRecorded = {
  type: 'DuplicateFaceCheckRecorded',
  data: {
    customerId: CUSTOMER_ID,
    templateRef: 'tpl_1',
    outcome: 'clear',
    bestScore: 0.1,
    closestCustomerId: null,
    comparedTemplates: 3,
    tooCloseThreshold: 0.4,
    duplicateThreshold: 0.6,
    modelVersion: 'arcface-r100@1',
    checkedAt: iso(2),
  },
};

export const faceEnrolled: FaceEnrolled = {
  type: 'FaceEnrolled',
  data: {
    customerId: CUSTOMER_ID,
    templateRef: 'tpl_1',
    quality: 0.9,
    modelVersion: 'arcface-r100@1',
    enrolledAt: iso(2),
  },
};

export const pinSet: PinSet = { type: 'PinSet', data: { customerId: CUSTOMER_ID, setAt: iso(3) } };

/** A customer who can pay with their face. */
export const enrolledCustomer: CustomerEvent[] = [registered, consentGiven, clearCheck, faceEnrolled];

export function faceFailures(count: number, fromSecond = 10): CustomerEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    type: 'FaceAttemptFailed' as const,
    data: {
      customerId: CUSTOMER_ID,
      checkoutId: `chk_f${i + 1}`,
      terminalId: 'ter_1',
      reason: 'no_match' as const,
      consecutiveFailures: i + 1,
      failedAt: iso(fromSecond + i),
    },
  }));
}
