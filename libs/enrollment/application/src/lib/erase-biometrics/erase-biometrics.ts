import { customerDecider, customerStreamId } from '@smilepay/enrollment/domain';
import { metadataFor, type RequestContext } from '../context';
import type { EnrollmentDeps } from '../enrollment-deps';
import type { ErasureResult } from '../consent/withdraw-biometric-consent';

/** An erasure request (right to erasure) without withdrawing consent: destroy the key first, then record. */
export async function eraseBiometrics(
  deps: EnrollmentDeps,
  input: { customerId: string; at: Date },
  context: RequestContext,
): Promise<ErasureResult> {
  const streamId = customerStreamId(input.customerId);
  const command = { type: 'EraseBiometrics' as const, reason: 'erasure_request' as const, at: input.at };
  customerDecider.decide(command, (await deps.customers.load(streamId)).state);
  const { erasedRefs } = await deps.vault.destroyKey(input.customerId, input.at);
  const result = await deps.customers.handle(streamId, command, metadataFor(context));
  return { erasedTemplateRefs: erasedRefs, recorded: result.newEvents.length > 0 };
}
