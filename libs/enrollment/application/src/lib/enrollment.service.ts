import type { CustomerPaymentProfile, TerminalProfile } from '@smilepay/enrollment/domain';
import { silentLogger, type RequestContext } from './context';
import { enrollmentDeps, type EnrollmentDeps, type EnrollmentDepsInput } from './enrollment-deps';
import {
  registerCustomer,
  type RegisterCustomerInput,
  type RegisterCustomerResult,
} from './register-customer/register-customer';
import { giveBiometricConsent, type GiveBiometricConsentInput } from './consent/give-biometric-consent';
import { withdrawBiometricConsent, type ErasureResult } from './consent/withdraw-biometric-consent';
import { eraseBiometrics } from './erase-biometrics/erase-biometrics';
import { enrollFace, type EnrollFaceInput, type EnrollFaceResult } from './enroll-face/enroll-face';
import {
  purgeStaleTemplates,
  type PurgeReport,
  type PurgeStaleTemplatesInput,
} from './retention/purge-stale-templates';
import { setPin } from './pin/set-pin';
import { verifyPin, type PinVerification, type VerifyPinInput } from './pin/verify-pin';
import { recordFaceOutcome, type RecordFaceOutcomeInput } from './face-attempts/record-face-outcome';
import { unlockFacePayment, unlockTerminalFacePayment } from './face-attempts/unlock-face-payment';
import { registerTerminal, type RegisterTerminalInput } from './terminals/register-terminal';
import { getCustomerProfile, getTerminalProfile } from './queries/profiles';
import type { FaceUnlockReason } from '@smilepay/enrollment/domain';

/**
 * Enrollment's application service: one method per use case, framework-free (a Nest module wraps it). Refusals are
 * DomainErrors; a lost optimistic race after the bounded retries is a ConcurrencyConflictError.
 */
export class EnrollmentService {
  readonly deps: EnrollmentDeps;

  constructor(input: EnrollmentDepsInput) {
    this.deps = enrollmentDeps(input, silentLogger);
  }

  registerCustomer(input: RegisterCustomerInput, context: RequestContext): Promise<RegisterCustomerResult> {
    return registerCustomer(this.deps, input, context);
  }

  giveBiometricConsent(input: GiveBiometricConsentInput, context: RequestContext): Promise<{ recorded: boolean }> {
    return giveBiometricConsent(this.deps, input, context);
  }

  enrollFace(input: EnrollFaceInput, context: RequestContext): Promise<EnrollFaceResult> {
    return enrollFace(this.deps, input, context);
  }

  withdrawBiometricConsent(input: { customerId: string; at: Date }, context: RequestContext): Promise<ErasureResult> {
    return withdrawBiometricConsent(this.deps, input, context);
  }

  eraseBiometrics(input: { customerId: string; at: Date }, context: RequestContext): Promise<ErasureResult> {
    return eraseBiometrics(this.deps, input, context);
  }

  purgeStaleTemplates(input: PurgeStaleTemplatesInput, context: RequestContext): Promise<PurgeReport> {
    return purgeStaleTemplates(this.deps, input, context);
  }

  setPin(input: { customerId: string; pin: string; at: Date }, context: RequestContext): Promise<void> {
    return setPin(this.deps, input, context);
  }

  verifyPin(input: VerifyPinInput, context: RequestContext): Promise<PinVerification> {
    return verifyPin(this.deps, input, context);
  }

  recordFaceOutcome(input: RecordFaceOutcomeInput, context: RequestContext): Promise<void> {
    return recordFaceOutcome(this.deps, input, context);
  }

  unlockFacePayment(
    input: { customerId: string; reason: FaceUnlockReason; at: Date },
    context: RequestContext,
  ): Promise<{ unlocked: boolean }> {
    return unlockFacePayment(this.deps, input, context);
  }

  unlockTerminalFacePayment(
    input: { terminalId: string; reason: FaceUnlockReason; at: Date },
    context: RequestContext,
  ): Promise<{ unlocked: boolean }> {
    return unlockTerminalFacePayment(this.deps, input, context);
  }

  registerTerminal(input: RegisterTerminalInput, context: RequestContext): Promise<{ created: boolean }> {
    return registerTerminal(this.deps, input, context);
  }

  getCustomerProfile(customerId: string, at: Date): Promise<CustomerPaymentProfile | null> {
    return getCustomerProfile(this.deps, customerId, at);
  }

  getTerminalProfile(terminalId: string, at: Date): Promise<TerminalProfile | null> {
    return getTerminalProfile(this.deps, terminalId, at);
  }
}
