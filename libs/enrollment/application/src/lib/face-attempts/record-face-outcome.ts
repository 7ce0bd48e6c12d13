import {
  customerPaymentProfile,
  customerStreamId,
  terminalProfile,
  terminalStreamId,
  type FaceAttemptFailureReason,
} from '@smilepay/enrollment/domain';
import { metadataFor, type RequestContext } from '../context';
import type { EnrollmentDeps } from '../enrollment-deps';

export type FaceOutcome =
  | { kind: 'succeeded'; customerId: string }
  /** The customers the attempt was against (the phone's candidates); empty for a spoof before any phone was typed. */
  | { kind: 'failed'; reason: FaceAttemptFailureReason; customerIds: string[] };

export interface RecordFaceOutcomeInput {
  checkoutId: string;
  terminalId: string;
  outcome: FaceOutcome;
  /** Liveness ran for this attempt: the lockout then allows 10 failures instead of 5. */
  livenessEnabled: boolean;
  at: Date;
}

/**
 * Feeds the lockouts (NIST SP 800-63B): a face attempt counts for each customer it was made against and for the
 * terminal. Customers without an enrolled face, or already cooling down, are skipped: nothing was tried against them.
 * Retries are safe: each stream records a checkout's attempt once.
 */
export async function recordFaceOutcome(
  deps: EnrollmentDeps,
  input: RecordFaceOutcomeInput,
  context: RequestContext,
): Promise<void> {
  const metadata = metadataFor(context);
  const { checkoutId, terminalId, at, outcome } = input;
  const customerIds = outcome.kind === 'succeeded' ? [outcome.customerId] : outcome.customerIds;
  for (const customerId of new Set(customerIds)) {
    const streamId = customerStreamId(customerId);
    const profile = customerPaymentProfile((await deps.customers.load(streamId)).state, at);
    if (profile === null || !profile.faceEnrolled || profile.faceLocked) continue;
    const command =
      outcome.kind === 'succeeded'
        ? { type: 'RecordFaceAttemptSucceeded' as const, checkoutId, terminalId, at }
        : {
            type: 'RecordFaceAttemptFailed' as const,
            checkoutId,
            terminalId,
            reason: outcome.reason,
            livenessEnabled: input.livenessEnabled,
            at,
          };
    await deps.customers.handle(streamId, command, metadata);
  }
  const terminalStream = terminalStreamId(terminalId);
  const terminal = terminalProfile((await deps.terminals.load(terminalStream)).state, at);
  if (terminal === null || terminal.faceLocked) return;
  const terminalCommand =
    outcome.kind === 'succeeded'
      ? { type: 'RecordTerminalFaceAttemptSucceeded' as const, checkoutId, customerId: outcome.customerId, at }
      : {
          type: 'RecordTerminalFaceAttemptFailed' as const,
          checkoutId,
          reason: outcome.reason,
          livenessEnabled: input.livenessEnabled,
          at,
        };
  await deps.terminals.handle(terminalStream, terminalCommand, metadata);
}
