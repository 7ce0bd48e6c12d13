import type { EnrollmentService } from '@smilepay/enrollment/application';
import type { ClaimsRequestContext } from '../streams/context';

/** Stops a customer's face payments until they enrol a face again. Must be safe to call more than once. */
export interface FacePaymentLock {
  lockUntilReenrolled(input: { customerId: string; at: Date }, context: ClaimsRequestContext): Promise<void>;
}

/**
 * The enrollment service's erasure is the lock: the abused template's key is destroyed and BiometricsErased recorded,
 * so no face can match this customer until they enrol again (with a fresh duplicate check). The customer decider
 * offers no other lock that lasts until re-enrolment: its FacePaymentLocked always ends after a cooldown.
 */
export function enrollmentFacePaymentLock(enrollment: Pick<EnrollmentService, 'eraseBiometrics'>): FacePaymentLock {
  return {
    async lockUntilReenrolled({ customerId, at }, context) {
      await enrollment.eraseBiometrics({ customerId, at }, context);
    },
  };
}
