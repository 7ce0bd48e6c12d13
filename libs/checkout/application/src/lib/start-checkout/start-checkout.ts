import { DomainError } from '@smilepay/shared/domain';
import { checkoutStreamId, type CheckoutMethod, type CheckoutStatus } from '@smilepay/checkout/domain';
import type { CurrencyCode } from '@smilepay/ledger/domain';
import { metadataFor, type RequestContext } from '@smilepay/enrollment/application';
import type { CheckoutDeps } from '../checkout-deps';
import { checkoutIdFor } from '../derived-ids';

export interface StartCheckoutInput {
  /** Omitted: derived from (merchant, idempotency key), so every retry of the request lands on one checkout. */
  checkoutId?: string;
  merchantId: string;
  terminalId: string;
  /** The terminal's session the face credential will be bound to. */
  terminalSessionId: string;
  amountMinor: bigint;
  currency: CurrencyCode;
  idempotencyKey: string;
  method: CheckoutMethod;
  at: Date;
}

export interface StartCheckoutResult {
  checkoutId: string;
  status: CheckoutStatus;
  /** False for a retry of the same request. */
  created: boolean;
}

/** Starts a checkout at a registered terminal, for that terminal's merchant only. */
export async function startCheckout(
  deps: CheckoutDeps,
  input: StartCheckoutInput,
  context: RequestContext,
): Promise<StartCheckoutResult> {
  const terminal = await deps.enrollment.getTerminalProfile(input.terminalId, input.at);
  if (terminal === null) throw new DomainError('terminal_not_found', 'no such terminal', 'not_found');
  if (terminal.merchantId !== input.merchantId) {
    throw new DomainError('terminal_merchant_mismatch', 'this terminal does not belong to this merchant', 'forbidden');
  }
  const checkoutId = input.checkoutId ?? checkoutIdFor(input.merchantId, input.idempotencyKey);
  const standing = await deps.risk.terminal(input.terminalId);
  const result = await deps.checkouts.handle(
    checkoutStreamId(checkoutId),
    {
      type: 'StartCheckout',
      checkoutId,
      merchantId: input.merchantId,
      merchantAccountId: terminal.merchantAccountId,
      terminalId: input.terminalId,
      terminalSessionId: input.terminalSessionId,
      amountMinor: input.amountMinor,
      currency: input.currency,
      idempotencyKey: input.idempotencyKey,
      method: input.method,
      terminalFaceLocked: terminal.faceLocked,
      terminalQuarantined: standing.status === 'restricted',
      at: input.at,
    },
    metadataFor(context),
  );
  return { checkoutId, status: result.state.status as CheckoutStatus, created: result.newEvents.length > 0 };
}
