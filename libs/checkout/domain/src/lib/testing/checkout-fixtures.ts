import type {
  CheckoutStarted,
  FaceCredentialIssued,
  LivenessVerdictRecorded,
  PaymentAuthorized,
  PaymentCaptured,
  PhoneFactorProvided,
  PhoneFactorRequested,
} from '../checkout.events';
import type { MatchedCustomer } from '../checkout.commands';
import type { TerminalRiskFacts } from '../policy/phone-factor-policy';

/** Shared histories for the checkout decider specs. */
export const CHECKOUT_ID = 'chk_1';
export const TRANSFER_ID = '3f0c1f0e-8c1a-4c59-9c3a-0a8f3e6b2d11';
export const WALLET_ID = '6b1d2c3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e';
export const T0 = new Date('2025-03-01T12:00:00.000Z');
export const at = (seconds: number): Date => new Date(T0.getTime() + seconds * 1000);
export const iso = (seconds: number): string => at(seconds).toISOString();

export const newTerminal: TerminalRiskFacts = {
  registeredAt: new Date('2025-02-28T12:00:00.000Z'),
  successfulFaceAttempts: 0,
  consecutiveFailures: 0,
  regularCount: 0,
};
export const busyTerminal: TerminalRiskFacts = {
  registeredAt: new Date('2024-01-01T00:00:00.000Z'),
  successfulFaceAttempts: 5_000,
  consecutiveFailures: 0,
  regularCount: 80,
};

export const started: CheckoutStarted = {
  type: 'CheckoutStarted',
  data: {
    checkoutId: CHECKOUT_ID,
    merchantId: 'mer_1',
    merchantAccountId: 'acc_mer_1',
    terminalId: 'ter_1',
    terminalSessionId: 'ses_1',
    amountMinor: '4250',
    currency: 'EUR',
    idempotencyKey: 'key-1',
    method: 'face',
    startedAt: iso(0),
  },
};

export const live: LivenessVerdictRecorded = {
  type: 'LivenessVerdictRecorded',
  data: { checkoutId: CHECKOUT_ID, verdict: 'live', score: 0.98, recordedAt: iso(1) },
};

export const phoneRequested = (
  digits: 11 | 4 | 0,
  reason: PhoneFactorRequested['data']['reason'] = 'new_terminal',
  seconds = 1,
): PhoneFactorRequested => ({
  type: 'PhoneFactorRequested',
  data: { checkoutId: CHECKOUT_ID, digits, reason, requestedAt: iso(seconds) },
});

export const phoneProvided = (
  digits: 11 | 4 | 0,
  candidateCustomerIds: string[],
  seconds = 2,
): PhoneFactorProvided => ({
  type: 'PhoneFactorProvided',
  data: { checkoutId: CHECKOUT_ID, digits, candidateCustomerIds, providedAt: iso(seconds) },
});

export const credentialIssued: FaceCredentialIssued = {
  type: 'FaceCredentialIssued',
  data: {
    checkoutId: CHECKOUT_ID,
    credentialId: 'cred_1',
    customerId: 'cus_a',
    terminalId: 'ter_1',
    terminalSessionId: 'ses_1',
    factors: ['face', 'phone'],
    issuedAt: iso(3),
    expiresAt: iso(63),
  },
};

export const authorized: PaymentAuthorized = {
  type: 'PaymentAuthorized',
  data: {
    checkoutId: CHECKOUT_ID,
    credentialId: 'cred_1',
    customerId: 'cus_a',
    transferId: TRANSFER_ID,
    walletAccountId: WALLET_ID,
    merchantAccountId: 'acc_mer_1',
    amountMinor: '4250',
    currency: 'EUR',
    authorizedAt: iso(10),
    expiresAt: iso(10 + 15 * 60),
  },
};

export const captured: PaymentCaptured = {
  type: 'PaymentCaptured',
  data: { checkoutId: CHECKOUT_ID, transferId: TRANSFER_ID, amountMinor: '4250', capturedAt: iso(20) },
};

/** A face checkout waiting for its match against customer cus_a (and cus_b, who shares the phone). */
export const awaitingMatch = [started, live, phoneRequested(11), phoneProvided(11, ['cus_a', 'cus_b'])];
export const withCredential = [...awaitingMatch, credentialIssued];
export const paid = [...withCredential, authorized];

export const customer = (
  customerId: string,
  score: number,
  overrides: Partial<MatchedCustomer> = {},
): MatchedCustomer => ({
  customerId,
  score,
  faceLocked: false,
  pinRequired: false,
  hasPin: true,
  pinLocked: false,
  riskLocked: false,
  ...overrides,
});
