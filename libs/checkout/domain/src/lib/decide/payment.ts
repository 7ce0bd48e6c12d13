import { DomainError } from '@smilepay/shared/domain';
import { assertAmountInRange, isLedgerId } from '@smilepay/ledger/domain';
import type { AuthorizePayment, CancelCheckout, CapturePayment, VoidPayment } from '../checkout.commands';
import type { CheckoutEvent, DeclineReason } from '../checkout.events';
import type { Checkout, CheckoutState, CredentialState } from '../checkout.state';
import type { CheckoutPolicy } from '../policy/checkout-policy';
import { requireId, requireStarted, requireTime } from '../guards';
import { declined } from './identify';

export interface CredentialPresentation {
  credentialId: string;
  terminalId: string;
  terminalSessionId: string;
  transferId: string;
  at: Date;
}

/**
 * What presenting a credential would lead to. The application asks this before reserving money (no hold is taken
 * for a credential that will be refused), and the decider asks it again when recording the result, against the
 * state it appends to: if another use won the race in between, this one is declined as a reuse.
 */
export type CredentialCheck =
  | { kind: 'valid'; credential: CredentialState }
  | { kind: 'retry' }
  | {
      kind: 'decline';
      reason: Extract<DeclineReason, 'credential_invalid' | 'credential_expired' | 'credential_reused'>;
    };

export function checkCredential(state: CheckoutState, presentation: CredentialPresentation): CredentialCheck {
  const checkout = requireStarted(state);
  const credential = checkout.credential;
  if (credential === null)
    throw new DomainError('credential_not_issued', 'this checkout has issued no credential', 'precondition');
  if (credential.consumed) {
    // The same transfer id is the same authorization retried (a lost response), not a second use.
    return checkout.payment?.transferId === presentation.transferId
      ? { kind: 'retry' }
      : { kind: 'decline', reason: 'credential_reused' };
  }
  const bound =
    presentation.credentialId === credential.credentialId &&
    presentation.terminalId === credential.terminalId &&
    presentation.terminalSessionId === credential.terminalSessionId;
  if (!bound) return { kind: 'decline', reason: 'credential_invalid' };
  if (requireTime(presentation.at) >= credential.expiresAtMs) return { kind: 'decline', reason: 'credential_expired' };
  return { kind: 'valid', credential };
}

export function decideAuthorizePayment(
  command: AuthorizePayment,
  state: CheckoutState,
  policy: CheckoutPolicy,
): CheckoutEvent[] {
  const checkout = requireStarted(state);
  requireId(command.credentialId, 'credentialId');
  if (!isLedgerId(command.transferId))
    throw new DomainError('transferId_invalid', 'transferId must be a lowercase uuid');
  if (!isLedgerId(command.walletAccountId))
    throw new DomainError('walletAccountId_invalid', 'walletAccountId must be a lowercase uuid');
  const atMs = requireTime(command.at);
  const at = new Date(atMs).toISOString();
  const check = checkCredential(checkout, command);
  if (check.kind === 'retry') return [];
  if (check.kind === 'decline') return [declined(checkout, check.reason, checkout.credential?.customerId ?? null, at)];
  const { customerId } = check.credential;
  if (command.terminalQuarantined) return [declined(checkout, 'terminal_quarantined', customerId, at)];
  if (command.customerRiskLocked) return [declined(checkout, 'customer_locked', customerId, at)];
  if (command.reservation === 'insufficient_funds') return [declined(checkout, 'insufficient_funds', customerId, at)];
  if (command.reservation !== 'reserved') {
    throw new DomainError('reservation_required', 'reserve the money in the ledger before authorizing', 'precondition');
  }
  return [
    {
      type: 'PaymentAuthorized',
      data: {
        checkoutId: checkout.checkoutId,
        credentialId: command.credentialId,
        customerId,
        transferId: command.transferId,
        walletAccountId: command.walletAccountId,
        merchantAccountId: checkout.merchantAccountId,
        amountMinor: checkout.amountMinor.toString(),
        currency: checkout.currency,
        authorizedAt: at,
        expiresAt: new Date(atMs + policy.authorizationHoldSeconds * 1000).toISOString(),
      },
    },
  ];
}

export function decideCapturePayment(command: CapturePayment, state: CheckoutState): CheckoutEvent[] {
  const checkout = requireStarted(state);
  const atMs = requireTime(command.at);
  const payment = requirePayment(checkout);
  const amount = command.amountMinor ?? payment.authorizedMinor;
  if (typeof amount !== 'bigint') throw new DomainError('amount_invalid', 'amountMinor must be a bigint');
  assertAmountInRange(amount);
  if (amount > payment.authorizedMinor) {
    throw new DomainError('capture_exceeds_authorization', 'a capture cannot exceed the authorized amount', 'invalid', {
      authorizedMinor: payment.authorizedMinor.toString(),
    });
  }
  if (checkout.status === 'captured') {
    if (payment.capturedMinor === amount) return [];
    throw new DomainError('payment_already_captured', 'this payment was captured with another amount', 'conflict');
  }
  if (checkout.status === 'voided') throw new DomainError('payment_voided', 'this payment was voided', 'conflict');
  if (atMs >= payment.expiresAtMs) {
    throw new DomainError('authorization_expired', 'the authorization expired before capture; void it', 'precondition');
  }
  return [
    {
      type: 'PaymentCaptured',
      data: {
        checkoutId: checkout.checkoutId,
        transferId: payment.transferId,
        amountMinor: amount.toString(),
        capturedAt: new Date(atMs).toISOString(),
      },
    },
  ];
}

export function decideVoidPayment(command: VoidPayment, state: CheckoutState): CheckoutEvent[] {
  const checkout = requireStarted(state);
  const at = new Date(requireTime(command.at)).toISOString();
  const payment = requirePayment(checkout);
  if (checkout.status === 'voided') return [];
  if (checkout.status === 'captured')
    throw new DomainError('payment_captured', 'a captured payment is refunded, not voided', 'conflict');
  return [
    {
      type: 'PaymentVoided',
      data: { checkoutId: checkout.checkoutId, transferId: payment.transferId, reason: command.reason, voidedAt: at },
    },
  ];
}

const BEFORE_PAYMENT = ['awaiting_liveness', 'awaiting_phone', 'matching', 'awaiting_pin', 'credential_issued'];

export function decideCancelCheckout(command: CancelCheckout, state: CheckoutState): CheckoutEvent[] {
  const checkout = requireStarted(state);
  const at = new Date(requireTime(command.at)).toISOString();
  if (checkout.status === 'declined' || checkout.status === 'cancelled') return [];
  if (!BEFORE_PAYMENT.includes(checkout.status)) {
    throw new DomainError('payment_authorized', 'the payment is authorized: void or refund it instead', 'conflict');
  }
  return [
    { type: 'CheckoutCancelled', data: { checkoutId: checkout.checkoutId, reason: command.reason, cancelledAt: at } },
  ];
}

function requirePayment(checkout: Checkout) {
  if (checkout.payment === null)
    throw new DomainError('payment_not_authorized', 'this checkout has no authorized payment', 'precondition');
  return checkout.payment;
}
