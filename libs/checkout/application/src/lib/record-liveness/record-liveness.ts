import { DomainError } from '@smilepay/shared/domain';
import {
  checkoutStreamId,
  nextStep,
  type CheckoutStep,
  type LivenessEvidence,
  type LivenessVerdict,
} from '@smilepay/checkout/domain';
import { metadataFor, type RequestContext } from '@smilepay/enrollment/application';
import { loadCheckout, type CheckoutDeps } from '../checkout-deps';

export interface RecordLivenessInput {
  checkoutId: string;
  verdict: LivenessVerdict;
  /** Fused liveness score in [0, 1] from the gateway; null when liveness did not run. */
  score: number | null;
  /** Per-signal scores, attack species, frame digests and model versions, kept (bounded) for the evidence pack. */
  evidence?: LivenessEvidence;
  at: Date;
}

/**
 * Records the gateway's liveness verdict. A live face gets the phone prompt the risk policy chooses from the terminal's
 * track record; a spoof is declined and counts as a failed face attempt against the terminal (no customer is known
 * yet), which feeds the terminal's lockout.
 */
export async function recordLiveness(
  deps: CheckoutDeps,
  input: RecordLivenessInput,
  context: RequestContext,
): Promise<CheckoutStep> {
  const checkout = await loadCheckout(deps, input.checkoutId);
  const terminal = await deps.enrollment.getTerminalProfile(checkout.terminalId, input.at);
  if (terminal === null)
    throw new DomainError('terminal_not_found', 'the checkout names an unknown terminal', 'not_found');
  const terminalRisk = {
    registeredAt: new Date(terminal.registeredAt),
    successfulFaceAttempts: terminal.successfulFaceAttempts,
    consecutiveFailures: terminal.consecutiveFailures,
    regularCount: terminal.regularCustomerIds.length,
  };
  const result = await deps.checkouts.handle(
    checkoutStreamId(input.checkoutId),
    {
      type: 'RecordLivenessVerdict',
      verdict: input.verdict,
      score: input.score,
      terminalRisk,
      evidence: input.evidence,
      at: input.at,
    },
    metadataFor(context),
  );
  if (result.newEvents.some((e) => e.type === 'PaymentDeclined' && e.data.reason === 'spoof')) {
    await deps.enrollment.recordFaceOutcome(
      {
        checkoutId: input.checkoutId,
        terminalId: checkout.terminalId,
        outcome: { kind: 'failed', reason: 'spoof', customerIds: [] },
        livenessEnabled: true,
        at: input.at,
      },
      context,
    );
  }
  return nextStep(result.state) as CheckoutStep;
}
