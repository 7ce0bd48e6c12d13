import { customerStreamId, terminalStreamId, type FaceUnlockReason } from '@smilepay/enrollment/domain';
import { metadataFor, type RequestContext } from '../context';
import type { EnrollmentDeps } from '../enrollment-deps';

/** Lifts a customer's face lockout: an analyst's decision, or a cooldown that has run out. */
export async function unlockFacePayment(
  deps: EnrollmentDeps,
  input: { customerId: string; reason: FaceUnlockReason; at: Date },
  context: RequestContext,
): Promise<{ unlocked: boolean }> {
  const result = await deps.customers.handle(
    customerStreamId(input.customerId),
    { type: 'UnlockFacePayment', reason: input.reason, at: input.at },
    metadataFor(context),
  );
  return { unlocked: result.newEvents.some((e) => e.type === 'FacePaymentUnlocked') };
}

export async function unlockTerminalFacePayment(
  deps: EnrollmentDeps,
  input: { terminalId: string; reason: FaceUnlockReason; at: Date },
  context: RequestContext,
): Promise<{ unlocked: boolean }> {
  const result = await deps.terminals.handle(
    terminalStreamId(input.terminalId),
    { type: 'UnlockTerminalFacePayment', reason: input.reason, at: input.at },
    metadataFor(context),
  );
  return { unlocked: result.newEvents.length > 0 };
}
