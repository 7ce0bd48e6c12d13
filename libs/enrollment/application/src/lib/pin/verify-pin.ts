import { customerStreamId } from '@smilepay/enrollment/domain';
import { metadataFor, type RequestContext } from '../context';
import type { EnrollmentDeps } from '../enrollment-deps';

export type PinVerification =
  { kind: 'verified'; customerId: string } | { kind: 'failed' } | { kind: 'locked' } | { kind: 'not_set' };

export interface VerifyPinInput {
  /** The customers the checkout asked for a PIN (one, or a few behind a shared phone). */
  candidateCustomerIds: string[];
  pin: string;
  checkoutId: string;
  at: Date;
}

/**
 * Checks a PIN typed at a terminal against the candidates' hashes and records the attempt on their streams (wrong
 * PINs lock the PIN after 5). Exactly one candidate must verify; if two did (a shared phone and the same PIN) the
 * PIN cannot tell them apart, so it is treated as failed and nobody is charged. A miss counts against every
 * candidate, since any of them may have been the target.
 */
export async function verifyPin(
  deps: EnrollmentDeps,
  input: VerifyPinInput,
  context: RequestContext,
): Promise<PinVerification> {
  const usable: string[] = [];
  let locked = 0;
  for (const customerId of new Set(input.candidateCustomerIds)) {
    const { state } = await deps.customers.load(customerStreamId(customerId));
    if (state.status !== 'registered' || !state.hasPin) continue;
    if (state.pinLocked) locked++;
    else usable.push(customerId);
  }
  if (usable.length === 0) return locked > 0 ? { kind: 'locked' } : { kind: 'not_set' };
  const verified: string[] = [];
  for (const customerId of usable) {
    if ((await deps.pins.check(customerId, input.pin)) === 'verified') verified.push(customerId);
  }
  const metadata = metadataFor(context);
  const record = (customerId: string, outcome: 'verified' | 'failed') =>
    deps.customers.handle(
      customerStreamId(customerId),
      { type: 'RecordPinAttempt', checkoutId: input.checkoutId, outcome, at: input.at },
      metadata,
    );
  if (verified.length === 1) {
    await record(verified[0], 'verified');
    return { kind: 'verified', customerId: verified[0] };
  }
  if (verified.length === 0) for (const customerId of usable) await record(customerId, 'failed');
  return { kind: 'failed' };
}
