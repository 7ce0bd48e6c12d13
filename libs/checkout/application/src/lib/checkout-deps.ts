import { CommandHandler, type EventStore } from '@smilepay/shared/eventstore';
import type { LedgerService } from '@smilepay/ledger/application';
import {
  checkoutStreamId,
  createCheckoutDecider,
  CHECKOUT_EVENT_TYPES,
  DEFAULT_CHECKOUT_POLICY,
  type CheckoutCommand,
  type CheckoutEvent,
  type CheckoutPolicy,
  type CheckoutState,
  type Checkout,
} from '@smilepay/checkout/domain';
import { DomainError, type Decider } from '@smilepay/shared/domain';
import {
  typedCodec,
  type EnrollmentLogger,
  type EnrollmentService,
  type FaceMatchingConfig,
  type PhoneIndexPort,
  type TemplateVaultPort,
} from '@smilepay/enrollment/application';

export type PaymentLedgerPort = Pick<
  LedgerService,
  'createTransfers' | 'postPending' | 'voidPending' | 'getAccountView'
>;

/** TigerBeetle-style transfer codes: why money moved. Application-defined; keep them stable once used. */
export interface TransferCodes {
  payment: number;
  refund: number;
}

export const DEFAULT_TRANSFER_CODES: TransferCodes = { payment: 101, refund: 102 };

/**
 * Risk's standing of a customer or terminal (a lock or quarantine an analyst applied to an alert). Checkout may not
 * import the risk scope (risk consumes checkout's events), so it declares what it needs and the composition root wires
 * risk's RiskStanding in; `restricted` refuses the payment.
 */
export interface RiskStandingPort {
  customer(customerId: string): Promise<{ status: 'clear' | 'restricted' }>;
  terminal(terminalId: string): Promise<{ status: 'clear' | 'restricted' }>;
}

export interface CheckoutDeps {
  store: EventStore;
  /** Risk locks and quarantines, read before a checkout starts, when a customer is identified, and before the hold. */
  risk: RiskStandingPort;
  /** Customer and terminal streams: profiles, PIN checks, face-attempt lockouts. */
  enrollment: Pick<EnrollmentService, 'getCustomerProfile' | 'getTerminalProfile' | 'verifyPin' | 'recordFaceOutcome'>;
  vault: Pick<TemplateVaultPort, 'readForCustomers' | 'markUsed'>;
  phones: PhoneIndexPort;
  ledger: PaymentLedgerPort;
  matching: FaceMatchingConfig;
  policy: CheckoutPolicy;
  codes: TransferCodes;
  /** Country calling code for full numbers typed without one (digits, e.g. "86"). */
  defaultCountryCode?: string;
  /** New ids (credentials). Injected so tests and replays can choose them. */
  newId: () => string;
  logger: EnrollmentLogger;
  checkouts: CommandHandler<CheckoutCommand, CheckoutEvent, CheckoutState>;
  /** The same decider the handler runs, for deciding ahead (before money moves) whether a command would be refused. */
  decider: Decider<CheckoutCommand, CheckoutEvent, CheckoutState>;
}

export const checkoutEventCodec = typedCodec<CheckoutEvent>(CHECKOUT_EVENT_TYPES);

export type CheckoutDepsInput = Omit<CheckoutDeps, 'checkouts' | 'decider' | 'policy' | 'codes' | 'logger'> & {
  policy?: CheckoutPolicy;
  codes?: TransferCodes;
  logger?: EnrollmentLogger;
  maxAttempts?: number;
};

export function checkoutDeps(input: CheckoutDepsInput, silent: EnrollmentLogger): CheckoutDeps {
  const policy = input.policy ?? DEFAULT_CHECKOUT_POLICY;
  const decider = createCheckoutDecider(policy);
  return {
    ...input,
    policy,
    codes: input.codes ?? DEFAULT_TRANSFER_CODES,
    logger: input.logger ?? silent,
    decider,
    checkouts: new CommandHandler(input.store, decider, checkoutEventCodec, { maxAttempts: input.maxAttempts }),
  };
}

export async function loadCheckout(deps: CheckoutDeps, checkoutId: string): Promise<Checkout> {
  const { state } = await deps.checkouts.load(checkoutStreamId(checkoutId));
  if (state.status === 'none') throw new DomainError('checkout_not_found', 'no such checkout', 'not_found');
  return state;
}
