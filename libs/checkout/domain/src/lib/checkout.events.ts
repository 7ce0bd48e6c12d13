import type { CurrencyCode } from '@smilepay/ledger/domain';

/**
 * Events of stream `checkout-<checkoutId>`: one payment attempt at one terminal. JSON-safe: money is a decimal string of
 * minor units, times are ISO-8601. No phone number and no biometric data appear here: the phone factor records only how
 * many digits were typed, and the match only scores and customer ids.
 */
export type CheckoutMethod = 'face' | 'phone_pin';
export type PhoneDigits = 11 | 4 | 0;
export type LivenessVerdict = 'live' | 'spoof' | 'not_checked';
export type PhoneFactorReason =
  | 'pin_method'
  | 'new_terminal'
  | 'no_regulars'
  | 'liveness_not_checked'
  | 'regular_check'
  | 'low_risk'
  | 'not_a_regular'
  | 'ambiguous_match';
export type PinReason = 'face_too_close' | 'ambiguous_match' | 'pin_method';
export type AuthenticationFactor = 'face' | 'phone' | 'pin';

/**
 * Every way a checkout can fail as a business outcome. A decline ends the checkout, except `credential_reused`
 * recorded against a checkout that already paid: that one records the rejected replay and changes nothing else.
 */
export type DeclineReason =
  | 'terminal_locked'
  | 'spoof'
  | 'phone_mismatch'
  | 'no_match'
  | 'ambiguous_match'
  | 'locked'
  | 'pin_required'
  | 'pin_mismatch'
  | 'pin_locked'
  | 'credential_invalid'
  | 'credential_expired'
  | 'credential_reused'
  | 'insufficient_funds'
  | 'terminal_quarantined'
  | 'customer_locked'
  | 'reenrollment_required';

export interface CheckoutStarted {
  type: 'CheckoutStarted';
  data: {
    checkoutId: string;
    merchantId: string;
    merchantAccountId: string;
    terminalId: string;
    terminalSessionId: string;
    amountMinor: string;
    currency: CurrencyCode;
    idempotencyKey: string;
    method: CheckoutMethod;
    startedAt: string;
  };
}

/**
 * What the gateway saw, kept for the loss-claim evidence pack. Every field is optional (added after the first events
 * were written, STYLE.md §4): events recorded before carry only the fused score and still load.
 */
export interface LivenessEvidence {
  /** Per-signal scores in [0, 1] named by the biometrics library (rgb, depth, smile, fused, ...). */
  scores?: Record<string, number>;
  /** The presentation-attack species the gateway suspected, when it suspected one. */
  attackSpecies?: string | null;
  /** SHA-256 digests of the frames the terminal sent, in order, at most MAX_EVIDENCE_FRAME_DIGESTS. */
  frameDigests?: EvidenceFrameDigest[];
  /** How many digests the gateway sent before the list was cut to the bound. */
  frameDigestsTotal?: number;
  /** The model behind each signal (e.g. embedding → arcface-r100@1). */
  modelVersions?: Record<string, string>;
}

export interface EvidenceFrameDigest {
  seq: number;
  rgbSha256: string;
  depthSha256?: string;
  /** `analyzed`, or the code the gateway dropped the frame with. */
  status: string;
}

/** Bounds on the liveness evidence one event may carry, so a checkout stream stays small whatever a gateway sends. */
export const MAX_EVIDENCE_FRAME_DIGESTS = 64;
export const MAX_EVIDENCE_SIGNALS = 16;

export interface LivenessVerdictRecorded {
  type: 'LivenessVerdictRecorded';
  data: {
    checkoutId: string;
    verdict: LivenessVerdict;
    score: number | null;
    recordedAt: string;
  } & LivenessEvidence;
}

export interface PhoneFactorRequested {
  type: 'PhoneFactorRequested';
  data: { checkoutId: string; digits: PhoneDigits; reason: PhoneFactorReason; requestedAt: string };
}

export interface PhoneFactorProvided {
  type: 'PhoneFactorProvided';
  /** The customers the digits narrowed the search to (1:few); the digits themselves are not recorded. */
  data: { checkoutId: string; digits: PhoneDigits; candidateCustomerIds: string[]; providedAt: string };
}

export interface FaceMatchRecorded {
  type: 'FaceMatchRecorded';
  data: {
    checkoutId: string;
    candidateCustomerIds: string[];
    /** Candidates at or above the threshold, best first. */
    matchedCustomerIds: string[];
    bestScore: number | null;
    threshold: number;
    /** The false match rate the threshold was chosen for (e.g. 0.000001). */
    fmr: number;
    modelVersion: string;
    recordedAt: string;
  };
}

export interface PinRequested {
  type: 'PinRequested';
  data: { checkoutId: string; reason: PinReason; candidateCustomerIds: string[]; requestedAt: string };
}

export interface PinVerified {
  type: 'PinVerified';
  data: { checkoutId: string; customerId: string; verifiedAt: string };
}

/** A single-use proof that this terminal session identified this customer, valid for a short time. */
export interface FaceCredentialIssued {
  type: 'FaceCredentialIssued';
  data: {
    checkoutId: string;
    credentialId: string;
    customerId: string;
    terminalId: string;
    terminalSessionId: string;
    factors: AuthenticationFactor[];
    issuedAt: string;
    expiresAt: string;
  };
}

export interface PaymentAuthorized {
  type: 'PaymentAuthorized';
  data: {
    checkoutId: string;
    credentialId: string;
    customerId: string;
    /** The ledger's pending transfer (wallet → merchant) that holds the money. */
    transferId: string;
    walletAccountId: string;
    merchantAccountId: string;
    amountMinor: string;
    currency: CurrencyCode;
    authorizedAt: string;
    /** Capture must happen before this; the pending transfer times out then. */
    expiresAt: string;
  };
}

export interface PaymentCaptured {
  type: 'PaymentCaptured';
  data: { checkoutId: string; transferId: string; amountMinor: string; capturedAt: string };
}

export interface PaymentVoided {
  type: 'PaymentVoided';
  data: { checkoutId: string; transferId: string; reason: 'cancelled' | 'authorization_expired'; voidedAt: string };
}

export interface PaymentDeclined {
  type: 'PaymentDeclined';
  data: {
    checkoutId: string;
    reason: DeclineReason;
    /** The customer concerned, when one was identified. */
    customerId: string | null;
    /** What the terminal should offer instead (NIST: another factor when the biometric is refused). */
    fallback: 'phone_pin' | null;
    declinedAt: string;
  };
}

export interface CheckoutCancelled {
  type: 'CheckoutCancelled';
  data: { checkoutId: string; reason: 'cancelled_by_terminal' | 'timed_out'; cancelledAt: string };
}

/** A refund is reserved against the refundable amount first, so concurrent refunds can never exceed the capture. */
export interface RefundRequested {
  type: 'RefundRequested';
  data: { checkoutId: string; refundId: string; transferId: string; amountMinor: string; requestedAt: string };
}

export interface PaymentRefunded {
  type: 'PaymentRefunded';
  data: { checkoutId: string; refundId: string; transferId: string; amountMinor: string; refundedAt: string };
}

export interface RefundDeclined {
  type: 'RefundDeclined';
  data: { checkoutId: string; refundId: string; reason: 'merchant_insufficient_funds'; declinedAt: string };
}

export type CheckoutEvent =
  | CheckoutStarted
  | LivenessVerdictRecorded
  | PhoneFactorRequested
  | PhoneFactorProvided
  | FaceMatchRecorded
  | PinRequested
  | PinVerified
  | FaceCredentialIssued
  | PaymentAuthorized
  | PaymentCaptured
  | PaymentVoided
  | PaymentDeclined
  | CheckoutCancelled
  | RefundRequested
  | PaymentRefunded
  | RefundDeclined;

export const CHECKOUT_EVENT_TYPES: readonly CheckoutEvent['type'][] = [
  'CheckoutStarted',
  'LivenessVerdictRecorded',
  'PhoneFactorRequested',
  'PhoneFactorProvided',
  'FaceMatchRecorded',
  'PinRequested',
  'PinVerified',
  'FaceCredentialIssued',
  'PaymentAuthorized',
  'PaymentCaptured',
  'PaymentVoided',
  'PaymentDeclined',
  'CheckoutCancelled',
  'RefundRequested',
  'PaymentRefunded',
  'RefundDeclined',
];
