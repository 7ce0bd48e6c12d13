import { DomainError } from '@smilepay/shared/domain';
import { requireId, requireSimilarity, requireText, requireTime, requireUnitInterval } from '../guards';
import type {
  DuplicateFaceCheck,
  EnrollFace,
  EraseBiometrics,
  RequirePinForFacePayments,
  WithdrawBiometricConsent,
} from './customer.commands';
import type { CustomerEvent } from './customer.events';
import type { CustomerState, RegisteredCustomer } from './customer.state';
import { requireRegistered } from './customer.guards';

/**
 * Enrolment is decided in one step with its duplicate check, so the check and the enrolment are one atomic append:
 * there is never a FaceEnrolled without the check that allowed it. A `duplicate` outcome records the check alone:
 * the refusal is a fact, and the face is not enrolled.
 */
export function decideEnrollFace(command: EnrollFace, state: CustomerState): CustomerEvent[] {
  const customer = requireRegistered(state);
  requireId(command.templateRef, 'templateRef');
  // Room for a package, file and digest, e.g. 'faceplugin-face-recognition-js@0.0.1/fr_feature.onnx#87aacdfe5751'.
  requireText(command.modelVersion, 'modelVersion', 128);
  requireUnitInterval(command.quality, 'quality');
  validateDuplicateCheck(command.duplicateCheck);
  const at = new Date(requireTime(command.at)).toISOString();
  if (customer.consent.status !== 'given') {
    throw new DomainError(
      'biometric_consent_required',
      'face capture needs a separate biometric consent first',
      'forbidden',
    );
  }
  if (command.liveness === 'spoof') {
    throw new DomainError('liveness_failed', 'the capture failed the liveness check', 'forbidden');
  }
  if (customer.face.status === 'enrolled') {
    if (customer.face.templateRef === command.templateRef) return [];
    throw new DomainError(
      'face_already_enrolled',
      'a face is already enrolled; erase it before enrolling another',
      'conflict',
    );
  }
  const check = command.duplicateCheck;
  if (check.outcome === 'duplicate' && customer.lastRefusedTemplateRef === command.templateRef) return [];
  const checkRecorded: CustomerEvent = {
    type: 'DuplicateFaceCheckRecorded',
    data: {
      customerId: customer.customerId,
      templateRef: command.templateRef,
      outcome: check.outcome,
      bestScore: check.bestScore,
      closestCustomerId: check.outcome === 'clear' ? null : check.closestCustomerId,
      comparedTemplates: check.comparedTemplates,
      tooCloseThreshold: check.tooCloseThreshold,
      duplicateThreshold: check.duplicateThreshold,
      modelVersion: command.modelVersion,
      checkedAt: at,
    },
  };
  if (check.outcome === 'duplicate') return [checkRecorded];
  return [
    checkRecorded,
    {
      type: 'FaceEnrolled',
      data: {
        customerId: customer.customerId,
        templateRef: command.templateRef,
        quality: command.quality,
        modelVersion: command.modelVersion,
        enrolledAt: at,
      },
    },
  ];
}

function validateDuplicateCheck(check: DuplicateFaceCheck): void {
  if (!['clear', 'too_close', 'duplicate'].includes(check.outcome)) {
    throw new DomainError('duplicateCheck_invalid', 'unknown duplicate-check outcome');
  }
  requireSimilarity(check.tooCloseThreshold, 'tooCloseThreshold');
  requireSimilarity(check.duplicateThreshold, 'duplicateThreshold');
  if (check.tooCloseThreshold >= check.duplicateThreshold) {
    throw new DomainError('duplicateCheck_invalid', 'the too-close threshold must be below the duplicate threshold');
  }
  if (!Number.isInteger(check.comparedTemplates) || check.comparedTemplates < 0) {
    throw new DomainError('duplicateCheck_invalid', 'comparedTemplates must be a non-negative integer');
  }
  if (check.bestScore !== null) requireSimilarity(check.bestScore, 'bestScore');
  const expected = outcomeFor(check.bestScore, check.tooCloseThreshold, check.duplicateThreshold);
  if (expected !== check.outcome) {
    throw new DomainError(
      'duplicateCheck_invalid',
      `a best score of ${check.bestScore} means ${expected}, not ${check.outcome}`,
    );
  }
  if (check.outcome !== 'clear') requireId(check.closestCustomerId ?? '', 'closestCustomerId');
}

/** The outcome a best similarity implies: the rule is here so that no caller can record a check that contradicts it. */
export function outcomeFor(
  bestScore: number | null,
  tooCloseThreshold: number,
  duplicateThreshold: number,
): DuplicateFaceCheck['outcome'] {
  if (bestScore === null || bestScore < tooCloseThreshold) return 'clear';
  return bestScore >= duplicateThreshold ? 'duplicate' : 'too_close';
}

export function decideRequirePinForFacePayments(
  command: RequirePinForFacePayments,
  state: CustomerState,
): CustomerEvent[] {
  const customer = requireRegistered(state);
  requireId(command.relatedCustomerId, 'relatedCustomerId');
  const at = requireTime(command.at);
  if (customer.facePinRequired !== null || customer.face.status !== 'enrolled') return [];
  return [
    {
      type: 'FacePinRequired',
      data: {
        customerId: customer.customerId,
        reason: 'look_alike_enrolled',
        relatedCustomerId: command.relatedCustomerId,
        requiredAt: new Date(at).toISOString(),
      },
    },
  ];
}

/**
 * Withdrawal ends the consent and erases: the application destroys the data key before appending, so by the time
 * these events exist the template can no longer be decrypted.
 */
export function decideWithdrawBiometricConsent(
  command: WithdrawBiometricConsent,
  state: CustomerState,
): CustomerEvent[] {
  const customer = requireRegistered(state);
  const at = new Date(requireTime(command.at)).toISOString();
  if (customer.consent.status === 'withdrawn') return [];
  if (customer.consent.status === 'none') {
    throw new DomainError('biometric_consent_not_given', 'there is no biometric consent to withdraw', 'precondition');
  }
  return [
    { type: 'BiometricConsentWithdrawn', data: { customerId: customer.customerId, withdrawnAt: at } },
    erased(customer, 'consent_withdrawn', at),
  ];
}

export function decideEraseBiometrics(command: EraseBiometrics, state: CustomerState): CustomerEvent[] {
  const customer = requireRegistered(state);
  const at = new Date(requireTime(command.at)).toISOString();
  if (command.reason === 'retention_expired') {
    requireId(command.templateRef ?? '', 'templateRef');
    const stillEnrolled = customer.face.status === 'enrolled' && customer.face.templateRef === command.templateRef;
    return stillEnrolled ? [erased(customer, 'retention_expired', at)] : [];
  }
  return customer.face.status === 'enrolled' ? [erased(customer, 'erasure_request', at)] : [];
}

function erased(
  customer: RegisteredCustomer,
  reason: 'consent_withdrawn' | 'erasure_request' | 'retention_expired',
  at: string,
): CustomerEvent {
  const templateRefs = customer.face.status === 'enrolled' ? [customer.face.templateRef] : [];
  return { type: 'BiometricsErased', data: { customerId: customer.customerId, templateRefs, reason, erasedAt: at } };
}
