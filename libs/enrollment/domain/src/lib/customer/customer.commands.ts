import type { DuplicateFaceOutcome, FaceAttemptFailureReason, FaceUnlockReason } from './customer.events';

/** Times and ids arrive in commands (STYLE.md §3): the decider never reads a clock. */
export interface RegisterCustomer {
  type: 'RegisterCustomer';
  customerId: string;
  /** Already normalised to E.164 by the caller (see normalizePhoneE164); checked again here. */
  phoneE164: string;
  walletAccountId: string;
  at: Date;
}

export interface GiveBiometricConsent {
  type: 'GiveBiometricConsent';
  consentTextVersion: string;
  /** Computed outside the domain (node:crypto) over the exact text shown to the customer. */
  consentTextSha256: string;
  purpose: string;
  retentionTermDays: number;
  at: Date;
}

/** Result of comparing a new template against every enrolled one, computed by the application. */
export interface DuplicateFaceCheck {
  outcome: DuplicateFaceOutcome;
  bestScore: number | null;
  closestCustomerId: string | null;
  comparedTemplates: number;
  tooCloseThreshold: number;
  duplicateThreshold: number;
}

export interface EnrollFace {
  type: 'EnrollFace';
  templateRef: string;
  quality: number;
  modelVersion: string;
  /** Capture goes through the same liveness gate as checkout; a spoof never becomes a template. */
  liveness: 'live' | 'spoof' | 'not_checked';
  duplicateCheck: DuplicateFaceCheck;
  at: Date;
}

export interface RequirePinForFacePayments {
  type: 'RequirePinForFacePayments';
  relatedCustomerId: string;
  at: Date;
}

export interface SetPin {
  type: 'SetPin';
  at: Date;
}

export interface WithdrawBiometricConsent {
  type: 'WithdrawBiometricConsent';
  at: Date;
}

export interface EraseBiometrics {
  type: 'EraseBiometrics';
  reason: 'erasure_request' | 'retention_expired';
  /** For retention purges: the stale template. Erasure happens only while it is still the enrolled one. */
  templateRef?: string;
  at: Date;
}

export interface RecordFaceAttemptFailed {
  type: 'RecordFaceAttemptFailed';
  checkoutId: string;
  terminalId: string;
  reason: FaceAttemptFailureReason;
  /** Liveness (presentation attack detection) ran: NIST then allows 10 failures instead of 5. */
  livenessEnabled: boolean;
  at: Date;
}

export interface RecordFaceAttemptSucceeded {
  type: 'RecordFaceAttemptSucceeded';
  checkoutId: string;
  terminalId: string;
  at: Date;
}

export interface UnlockFacePayment {
  type: 'UnlockFacePayment';
  reason: FaceUnlockReason;
  at: Date;
}

export interface RecordPinAttempt {
  type: 'RecordPinAttempt';
  checkoutId: string;
  outcome: 'verified' | 'failed';
  at: Date;
}

export type CustomerCommand =
  | RegisterCustomer
  | GiveBiometricConsent
  | EnrollFace
  | RequirePinForFacePayments
  | SetPin
  | WithdrawBiometricConsent
  | EraseBiometrics
  | RecordFaceAttemptFailed
  | RecordFaceAttemptSucceeded
  | UnlockFacePayment
  | RecordPinAttempt;
