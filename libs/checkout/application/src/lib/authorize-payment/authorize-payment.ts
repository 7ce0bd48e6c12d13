import { DomainError } from '@smilepay/shared/domain';
import {
  checkCredential,
  checkoutStreamId,
  type Checkout,
  type DeclineReason,
  type Reservation,
} from '@smilepay/checkout/domain';
import { metadataFor, type RequestContext } from '@smilepay/enrollment/application';
import { loadCheckout, type CheckoutDeps } from '../checkout-deps';
import { voidIdFor } from '../derived-ids';

export interface AuthorizePaymentInput {
  checkoutId: string;
  credentialId: string;
  /** Who presents the credential: it only works from the terminal session it was issued to. */
  terminalId: string;
  terminalSessionId: string;
  /** Client-chosen uuid of the pending transfer; the same id again is a retry of the same authorization. */
  transferId: string;
  at: Date;
}

export type AuthorizeResult =
  | { outcome: 'authorized'; transferId: string; customerId: string; expiresAt: string }
  | { outcome: 'declined'; reason: DeclineReason };

/**
 * Presents the face credential and holds the money: a pending ledger transfer from the customer's wallet to the
 * merchant, which the wallet's `debits_must_not_exceed_credits` flag refuses when the balance is short. The credential
 * is checked before any money is held; if a concurrent use wins the race after the hold, the decider records this use
 * as a reuse and the hold is voided (and would expire by its timeout if the process died first).
 */
export async function authorizePayment(
  deps: CheckoutDeps,
  input: AuthorizePaymentInput,
  context: RequestContext,
): Promise<AuthorizeResult> {
  const checkout = await loadCheckout(deps, input.checkoutId);
  const check = checkCredential(checkout, input);
  if (check.kind === 'retry') return resultOf(checkout, input.transferId);
  const customerId = checkout.credential?.customerId;
  const profile = customerId === undefined ? null : await deps.enrollment.getCustomerProfile(customerId, input.at);
  if (profile === null)
    throw new DomainError('customer_not_found', 'the credential names an unknown customer', 'not_found');
  const standing = check.kind === 'valid' ? await riskStanding(deps, profile.customerId, checkout.terminalId) : null;
  const restricted = standing !== null && (standing.customerRiskLocked || standing.terminalQuarantined);
  const reservation: Reservation =
    check.kind === 'valid' && !restricted
      ? await reserve(deps, checkout, profile.walletAccountId, input.transferId, context)
      : 'not_attempted';
  const result = await deps.checkouts.handle(
    checkoutStreamId(input.checkoutId),
    {
      type: 'AuthorizePayment',
      ...input,
      walletAccountId: profile.walletAccountId,
      customerRiskLocked: standing?.customerRiskLocked ?? false,
      terminalQuarantined: standing?.terminalQuarantined ?? false,
      reservation,
    },
    metadataFor(context),
  );
  const state = result.state as Checkout;
  if (reservation === 'reserved' && state.payment?.transferId !== input.transferId) {
    await releaseLosingHold(deps, input.transferId, context);
  }
  return resultOf(state, input.transferId);
}

/** Read just before the hold, so a lock or quarantine applied after the credential was issued still stops it. */
async function riskStanding(deps: CheckoutDeps, customerId: string, terminalId: string) {
  const [customer, terminal] = await Promise.all([deps.risk.customer(customerId), deps.risk.terminal(terminalId)]);
  return { customerRiskLocked: customer.status === 'restricted', terminalQuarantined: terminal.status === 'restricted' };
}

async function reserve(
  deps: CheckoutDeps,
  checkout: Checkout,
  walletAccountId: string,
  transferId: string,
  context: RequestContext,
): Promise<Reservation> {
  const wallet = await deps.ledger.getAccountView(walletAccountId);
  const transfer = {
    id: transferId,
    debitAccountId: walletAccountId,
    creditAccountId: checkout.merchantAccountId,
    amount: checkout.amountMinor,
    currency: checkout.currency,
    ledger: wallet.account.ledger,
    code: deps.codes.payment,
    kind: 'pending' as const,
    timeoutSeconds: deps.policy.authorizationHoldSeconds,
  };
  try {
    await deps.ledger.createTransfers({ transfers: [transfer] }, context);
    return 'reserved';
  } catch (error) {
    if (error instanceof DomainError && error.code === 'exceeds_credits') return 'insufficient_funds';
    throw error;
  }
}

/** The losing hold of a race is voided; if that fails, its timeout releases it, so the decline still stands. */
async function releaseLosingHold(deps: CheckoutDeps, transferId: string, context: RequestContext): Promise<void> {
  try {
    await deps.ledger.voidPending({ id: voidIdFor(transferId), pendingId: transferId }, context);
  } catch (error) {
    const code = error instanceof DomainError ? error.code : (error as Error).name;
    if (code !== 'pending_transfer_already_voided' && code !== 'pending_transfer_already_expired') {
      deps.logger.error(
        `hold ${transferId} of a reused credential was not voided (${code}); it expires by its timeout`,
      );
    }
  }
}

function resultOf(state: Checkout, transferId: string): AuthorizeResult {
  if (state.payment !== null && state.payment.transferId === transferId) {
    return {
      outcome: 'authorized',
      transferId,
      customerId: state.payment.customerId,
      expiresAt: new Date(state.payment.expiresAtMs).toISOString(),
    };
  }
  // Declined now, or a reuse of a credential that already paid another transfer.
  const reason: DeclineReason =
    state.status === 'declined' ? (state.declineReason ?? 'credential_invalid') : 'credential_reused';
  return { outcome: 'declined', reason };
}
