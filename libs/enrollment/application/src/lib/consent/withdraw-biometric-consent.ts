import { customerDecider, customerStreamId } from '@smilepay/enrollment/domain';
import { metadataFor, type RequestContext } from '../context';
import type { EnrollmentDeps } from '../enrollment-deps';

export interface ErasureResult {
  /** Templates made unrecoverable by this call (empty on a retry). */
  erasedTemplateRefs: string[];
  recorded: boolean;
}

/**
 * Withdraws the biometric consent and erases. The data key is destroyed BEFORE the events are appended, so once
 * BiometricsErased exists the template cannot be decrypted. If the append then fails, a retry destroys nothing new
 * (idempotent) and appends the events.
 */
export async function withdrawBiometricConsent(
  deps: EnrollmentDeps,
  input: { customerId: string; at: Date },
  context: RequestContext,
): Promise<ErasureResult> {
  const streamId = customerStreamId(input.customerId);
  const command = { type: 'WithdrawBiometricConsent' as const, at: input.at };
  // Refusals (unknown customer, no consent ever given) come before anything is destroyed.
  customerDecider.decide(command, (await deps.customers.load(streamId)).state);
  const { erasedRefs } = await deps.vault.destroyKey(input.customerId, input.at);
  const result = await deps.customers.handle(streamId, command, metadataFor(context));
  return { erasedTemplateRefs: erasedRefs, recorded: result.newEvents.length > 0 };
}
