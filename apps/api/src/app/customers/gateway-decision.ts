import type { CheckoutService } from '@smilepay/checkout/application';
import type { CheckoutStep } from '@smilepay/checkout/domain';
import type { PaymentDecisionReply, RecordLivenessVerdictReply } from '@smilepay/checkout/contracts';
import { DomainError } from '@smilepay/shared/domain';
import { randomUUID } from 'node:crypto';
import { derivedId } from './platform-accounts';

/**
 * What the gateway's checkout routes share: turning the checkout's next step into the reply the gateway relays to the
 * terminal, and finishing a payment once a credential is issued. Every function reads the step from the stream, so a
 * retried call after a crash answers from what was recorded rather than acting twice.
 */

export function gatewayContext(terminalId: string, checkoutId: string) {
  return { correlationId: checkoutId, causationId: randomUUID(), actor: `terminal:${terminalId}` };
}

export function assertSameCheckout(path: string, body: string): void {
  if (path !== body) throw new DomainError('checkout_id_mismatch', 'the path and the body name different checkouts', 'invalid', { path, body });
}

export function livenessReply(step: CheckoutStep | null): RecordLivenessVerdictReply {
  if (step?.next === 'phone') {
    return { accepted: true, phonePrompt: { digitsRequested: step.digits, kind: step.digits === 11 ? 'full_number' : 'last_digits' } };
  }
  if (step?.next === 'declined') return { accepted: false, reason: step.reason, ...(step.fallback ? { fallback: step.fallback } : {}) };
  return { accepted: false };
}

export function decisionForStep(step: CheckoutStep | null, checkoutId: string): PaymentDecisionReply {
  if (step?.next === 'capture' || (step?.next === 'done' && step.status === 'captured')) return { decision: 'authorized', paymentId: checkoutId };
  if (step?.next === 'declined') return { decision: 'declined', reason: step.reason, ...(step.fallback ? { fallback: step.fallback } : {}) };
  if (step?.next === 'pin') return { decision: 'pin_required', reason: step.reason };
  return { decision: 'declined', reason: step ? `unexpected_step_${step.next}` : 'checkout_not_started' };
}

/**
 * Runs one step unless a concurrent retry of the same call got there first (the decider then refuses the step as
 * `unexpected_step`): the outcome that retry recorded is the answer, so retries never fail where the first succeeded.
 */
export async function stepOrRecorded(checkouts: CheckoutService, checkoutId: string, run: () => Promise<CheckoutStep>): Promise<CheckoutStep | null> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof DomainError && error.code === 'unexpected_step') return (await checkouts.get(checkoutId)).step;
    throw error;
  }
}

/**
 * Authorizes with the credential the last step issued, then captures: a shop terminal sells at once, so there is
 * no separate capture call. A payment held but not captured is captured; any other step is answered as it stands.
 */
export async function completePayment(
  checkouts: CheckoutService,
  step: CheckoutStep | null,
  input: { checkoutId: string; terminalId: string },
): Promise<PaymentDecisionReply & { credentialId?: string }> {
  const { checkoutId, terminalId } = input;
  const context = gatewayContext(terminalId, checkoutId);
  // A retry after a crash between the hold and its capture finishes the capture: answering "authorized" alone
  // would leave the customer's money held and the merchant unpaid (found by the kill -9 drill, tools/drills).
  if (step?.next === 'capture') return decisionForStep(await checkouts.capture({ checkoutId, at: new Date() }, context), checkoutId);
  if (step?.next !== 'authorize') return decisionForStep(step, checkoutId);
  const authorized = await checkouts.authorize(
    { checkoutId, credentialId: step.credentialId, terminalId, terminalSessionId: checkoutId, transferId: derivedId('authorize', checkoutId), at: new Date() },
    context,
  );
  if (authorized.outcome === 'declined') return { decision: 'declined', reason: authorized.reason, credentialId: step.credentialId };
  const captured = await checkouts.capture({ checkoutId, at: new Date() }, context);
  return { ...decisionForStep(captured, checkoutId), credentialId: step.credentialId };
}
