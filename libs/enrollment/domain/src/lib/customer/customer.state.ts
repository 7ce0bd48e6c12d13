import { initialLockout, isCoolingDown, type LockoutState } from '../lockout/lockout';
import type { CustomerEvent } from './customer.events';

export type ConsentState =
  | { status: 'none' }
  | {
      status: 'given';
      consentTextVersion: string;
      consentTextSha256: string;
      purpose: string;
      retentionTermDays: number;
      givenAtMs: number;
    }
  | { status: 'withdrawn'; withdrawnAtMs: number };

export type FaceState =
  | { status: 'none' }
  | { status: 'enrolled'; templateRef: string; modelVersion: string; quality: number; enrolledAtMs: number }
  | { status: 'erased'; erasedAtMs: number };

export interface RegisteredCustomer {
  status: 'registered';
  customerId: string;
  phoneE164: string;
  walletAccountId: string;
  consent: ConsentState;
  face: FaceState;
  /** Why a PIN is forced on every face payment, or null when the face alone may pay. */
  facePinRequired: null | 'face_too_close' | 'look_alike_enrolled';
  /** Template refs refused as duplicates (kept so a retried refusal is a no-op; bounded by the caller's retries). */
  lastRefusedTemplateRef: string | null;
  hasPin: boolean;
  pinConsecutiveFailures: number;
  pinLocked: boolean;
  faceLockout: LockoutState;
  /** Last checkout whose face or PIN attempt was recorded, so a retried record is a no-op. */
  lastFaceAttemptCheckoutId: string | null;
  lastPinAttemptCheckoutId: string | null;
}

export type CustomerState = { status: 'unregistered' } | RegisteredCustomer;

export const PIN_FAILURE_LIMIT = 5;

export const initialCustomerState = (): CustomerState => ({ status: 'unregistered' });

const ms = (iso: string): number => Date.parse(iso);

export function evolveCustomer(state: CustomerState, event: CustomerEvent): CustomerState {
  if (event.type === 'CustomerRegistered') {
    return {
      status: 'registered',
      customerId: event.data.customerId,
      phoneE164: event.data.phoneE164,
      walletAccountId: event.data.walletAccountId,
      consent: { status: 'none' },
      face: { status: 'none' },
      facePinRequired: null,
      lastRefusedTemplateRef: null,
      hasPin: false,
      pinConsecutiveFailures: 0,
      pinLocked: false,
      faceLockout: initialLockout(),
      lastFaceAttemptCheckoutId: null,
      lastPinAttemptCheckoutId: null,
    };
  }
  if (state.status !== 'registered') return state;
  return evolveRegistered(state, event);
}

function evolveRegistered(state: RegisteredCustomer, event: CustomerEvent): RegisteredCustomer {
  switch (event.type) {
    case 'CustomerRegistered':
      return state;
    case 'BiometricConsentGiven': {
      const { consentTextVersion, consentTextSha256, purpose, retentionTermDays, givenAt } = event.data;
      return {
        ...state,
        consent: {
          status: 'given',
          consentTextVersion,
          consentTextSha256,
          purpose,
          retentionTermDays,
          givenAtMs: ms(givenAt),
        },
      };
    }
    case 'DuplicateFaceCheckRecorded': {
      const { outcome, templateRef } = event.data;
      if (outcome === 'duplicate') return { ...state, lastRefusedTemplateRef: templateRef };
      return outcome === 'too_close' ? { ...state, facePinRequired: 'face_too_close' } : state;
    }
    case 'FaceEnrolled': {
      const { templateRef, modelVersion, quality, enrolledAt } = event.data;
      return {
        ...state,
        face: { status: 'enrolled', templateRef, modelVersion, quality, enrolledAtMs: ms(enrolledAt) },
      };
    }
    case 'FacePinRequired':
      return { ...state, facePinRequired: state.facePinRequired ?? event.data.reason };
    case 'PinSet':
      return { ...state, hasPin: true, pinConsecutiveFailures: 0, pinLocked: false };
    case 'BiometricConsentWithdrawn':
      return { ...state, consent: { status: 'withdrawn', withdrawnAtMs: ms(event.data.withdrawnAt) } };
    case 'BiometricsErased':
      // A later enrolment runs a fresh duplicate check, which raises the look-alike flag again if it still applies.
      return {
        ...state,
        face: { status: 'erased', erasedAtMs: ms(event.data.erasedAt) },
        facePinRequired: null,
        faceLockout: initialLockout(),
      };
    case 'FaceAttemptFailed':
      return {
        ...state,
        faceLockout: { ...state.faceLockout, consecutiveFailures: event.data.consecutiveFailures },
        lastFaceAttemptCheckoutId: event.data.checkoutId,
      };
    case 'FaceAttemptSucceeded':
      return { ...state, faceLockout: initialLockout(), lastFaceAttemptCheckoutId: event.data.checkoutId };
    case 'FacePaymentLocked':
      return { ...state, faceLockout: { ...state.faceLockout, lockedUntilMs: ms(event.data.lockedUntil) } };
    case 'FacePaymentUnlocked':
      // An analyst's unlock forgives the failures; an elapsed cooldown does not, so the next failure locks again
      // with a longer cooldown (NIST's exponential back-off).
      return event.data.reason === 'analyst'
        ? { ...state, faceLockout: initialLockout() }
        : { ...state, faceLockout: { ...state.faceLockout, lockedUntilMs: null } };
    case 'PinAttemptFailed':
      return {
        ...state,
        pinConsecutiveFailures: event.data.consecutiveFailures,
        lastPinAttemptCheckoutId: event.data.checkoutId,
      };
    case 'PinAttemptSucceeded':
      return { ...state, pinConsecutiveFailures: 0, lastPinAttemptCheckoutId: event.data.checkoutId };
    case 'PinLocked':
      return { ...state, pinLocked: true };
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

/** What checkout needs to know about a customer at time `at`. */
export interface CustomerPaymentProfile {
  customerId: string;
  walletAccountId: string;
  faceEnrolled: boolean;
  /** The face was erased (an approved loss claim, a withdrawn consent): face payment needs a new enrolment. */
  faceErased: boolean;
  templateRef: string | null;
  faceLocked: boolean;
  faceLockedUntil: string | null;
  pinRequired: boolean;
  hasPin: boolean;
  pinLocked: boolean;
}

export function customerPaymentProfile(state: CustomerState, at: Date): CustomerPaymentProfile | null {
  if (state.status !== 'registered') return null;
  const locked = isCoolingDown(state.faceLockout, at.getTime());
  const enrolled = state.face.status === 'enrolled' && state.consent.status === 'given';
  return {
    customerId: state.customerId,
    walletAccountId: state.walletAccountId,
    faceEnrolled: enrolled,
    faceErased: state.face.status === 'erased',
    templateRef: enrolled && state.face.status === 'enrolled' ? state.face.templateRef : null,
    faceLocked: locked,
    faceLockedUntil: locked ? new Date(state.faceLockout.lockedUntilMs as number).toISOString() : null,
    pinRequired: state.facePinRequired !== null,
    hasPin: state.hasPin,
    pinLocked: state.pinLocked,
  };
}
