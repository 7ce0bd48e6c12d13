import { DomainError } from '@smilepay/shared/domain';
import { customerStreamId } from '@smilepay/enrollment/domain';
import { metadataFor, type RequestContext } from '../context';
import type { EnrollmentDeps } from '../enrollment-deps';
import { checkPinPolicy } from './pin-policy';

/** Hashes the PIN into the PIN vault (argon2id), then records PinSet. The PIN is never in an event or a log. */
export async function setPin(
  deps: EnrollmentDeps,
  input: { customerId: string; pin: string; at: Date },
  context: RequestContext,
): Promise<void> {
  const streamId = customerStreamId(input.customerId);
  const { state } = await deps.customers.load(streamId);
  if (state.status !== 'registered') throw new DomainError('customer_not_found', 'no such customer', 'not_found');
  checkPinPolicy(input.pin, state.phoneE164);
  await deps.pins.setPin(input.customerId, input.pin, input.at);
  await deps.customers.handle(streamId, { type: 'SetPin', at: input.at }, metadataFor(context));
}
