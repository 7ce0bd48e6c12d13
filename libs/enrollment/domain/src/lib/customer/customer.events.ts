/**
 * Events of stream `customer-<customerId>`. JSON-safe: times are ISO-8601 strings.
 *
 * Nothing biometric is ever in an event: a face is referred to by `templateRef`, the row of the encrypted template
 * vault. PINs are not in events either: the argon2 hash lives in a deletable vault table, the event only says a PIN
 * exists. Event logs are immutable and copied into backups, so anything written here can never be erased.
 */
export type DuplicateFaceOutcome = 'clear' | 'too_close' | 'duplicate';
export type FaceAttemptFailureReason = 'no_match' | 'spoof';
export type ErasureReason = 'consent_withdrawn' | 'erasure_request' | 'retention_expired';
export type FaceUnlockReason = 'cooldown_elapsed' | 'analyst';

export interface CustomerRegistered {
  type: 'CustomerRegistered';
  data: { customerId: string; phoneE164: string; walletAccountId: string; registeredAt: string };
}

/** Biometric consent, recorded on its own: never bundled with other terms (GDPR art. 9, BIPA). */
export interface BiometricConsentGiven {
  type: 'BiometricConsentGiven';
  data: {
    customerId: string;
    consentTextVersion: string;
    /** SHA-256 (hex) of the exact consent text shown, so the wording can be proven later. */
    consentTextSha256: string;
    purpose: string;
    retentionTermDays: number;
    givenAt: string;
  };
}

/** The duplicate-face check against every enrolled template, recorded whatever its outcome. */
export interface DuplicateFaceCheckRecorded {
  type: 'DuplicateFaceCheckRecorded';
  data: {
    customerId: string;
    templateRef: string;
    outcome: DuplicateFaceOutcome;
    /** Highest similarity to another customer's template; null when the gallery was empty. */
    bestScore: number | null;
    /** The other customer behind `bestScore` when the outcome is not `clear`. */
    closestCustomerId: string | null;
    comparedTemplates: number;
    tooCloseThreshold: number;
    duplicateThreshold: number;
    modelVersion: string;
    checkedAt: string;
  };
}

export interface FaceEnrolled {
  type: 'FaceEnrolled';
  data: { customerId: string; templateRef: string; quality: number; modelVersion: string; enrolledAt: string };
}

/** Another customer enrolled a face too close to this one: this customer's face payments now need the PIN too. */
export interface FacePinRequired {
  type: 'FacePinRequired';
  data: { customerId: string; reason: 'look_alike_enrolled'; relatedCustomerId: string; requiredAt: string };
}

export interface PinSet {
  type: 'PinSet';
  data: { customerId: string; setAt: string };
}

export interface BiometricConsentWithdrawn {
  type: 'BiometricConsentWithdrawn';
  data: { customerId: string; withdrawnAt: string };
}

/** The customer's data key was destroyed (or the template purged): the listed templates are unrecoverable. */
export interface BiometricsErased {
  type: 'BiometricsErased';
  data: { customerId: string; templateRefs: string[]; reason: ErasureReason; erasedAt: string };
}

export interface FaceAttemptFailed {
  type: 'FaceAttemptFailed';
  data: {
    customerId: string;
    checkoutId: string;
    terminalId: string;
    reason: FaceAttemptFailureReason;
    consecutiveFailures: number;
    failedAt: string;
  };
}

export interface FaceAttemptSucceeded {
  type: 'FaceAttemptSucceeded';
  data: { customerId: string; checkoutId: string; terminalId: string; succeededAt: string };
}

export interface FacePaymentLocked {
  type: 'FacePaymentLocked';
  data: { customerId: string; consecutiveFailures: number; cooldownMs: number; lockedUntil: string; lockedAt: string };
}

export interface FacePaymentUnlocked {
  type: 'FacePaymentUnlocked';
  data: { customerId: string; reason: FaceUnlockReason; unlockedAt: string };
}

export interface PinAttemptFailed {
  type: 'PinAttemptFailed';
  data: { customerId: string; checkoutId: string; consecutiveFailures: number; failedAt: string };
}

export interface PinAttemptSucceeded {
  type: 'PinAttemptSucceeded';
  data: { customerId: string; checkoutId: string; succeededAt: string };
}

/** Too many wrong PINs in a row: the PIN stays locked until the customer sets a new one. */
export interface PinLocked {
  type: 'PinLocked';
  data: { customerId: string; consecutiveFailures: number; lockedAt: string };
}

export type CustomerEvent =
  | CustomerRegistered
  | BiometricConsentGiven
  | DuplicateFaceCheckRecorded
  | FaceEnrolled
  | FacePinRequired
  | PinSet
  | BiometricConsentWithdrawn
  | BiometricsErased
  | FaceAttemptFailed
  | FaceAttemptSucceeded
  | FacePaymentLocked
  | FacePaymentUnlocked
  | PinAttemptFailed
  | PinAttemptSucceeded
  | PinLocked;

export type CustomerEventType = CustomerEvent['type'];

export const CUSTOMER_EVENT_TYPES: readonly CustomerEventType[] = [
  'CustomerRegistered',
  'BiometricConsentGiven',
  'DuplicateFaceCheckRecorded',
  'FaceEnrolled',
  'FacePinRequired',
  'PinSet',
  'BiometricConsentWithdrawn',
  'BiometricsErased',
  'FaceAttemptFailed',
  'FaceAttemptSucceeded',
  'FacePaymentLocked',
  'FacePaymentUnlocked',
  'PinAttemptFailed',
  'PinAttemptSucceeded',
  'PinLocked',
];
