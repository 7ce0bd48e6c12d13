import type { CurrencyCode } from '@smilepay/ledger/domain';
import type {
  AuthenticationFactor,
  CheckoutEvent,
  CheckoutMethod,
  DeclineReason,
  LivenessVerdict,
  PhoneDigits,
  PhoneFactorReason,
  PaymentAuthorized,
  PaymentRefunded,
  PinReason,
  RefundDeclined,
  RefundRequested,
} from './checkout.events';

export type CheckoutStatus =
  | 'awaiting_liveness'
  | 'awaiting_phone'
  | 'matching'
  | 'awaiting_pin'
  | 'credential_issued'
  | 'authorized'
  | 'captured'
  | 'voided'
  | 'declined'
  | 'cancelled';

export interface CredentialState {
  credentialId: string;
  customerId: string;
  terminalId: string;
  terminalSessionId: string;
  factors: AuthenticationFactor[];
  expiresAtMs: number;
  /** Set once the credential was presented (whatever the outcome): it can never be used again. */
  consumed: boolean;
}

export interface PaymentState {
  transferId: string;
  customerId: string;
  walletAccountId: string;
  authorizedMinor: bigint;
  expiresAtMs: number;
  capturedMinor: bigint | null;
}

export interface RefundState {
  transferId: string;
  amountMinor: bigint;
  status: 'requested' | 'refunded' | 'declined';
}

export interface Checkout {
  status: CheckoutStatus;
  checkoutId: string;
  merchantId: string;
  merchantAccountId: string;
  terminalId: string;
  terminalSessionId: string;
  amountMinor: bigint;
  currency: CurrencyCode;
  idempotencyKey: string;
  method: CheckoutMethod;
  startedAtMs: number;
  liveness: { verdict: LivenessVerdict; score: number | null } | null;
  phoneFactor: {
    requestedDigits: PhoneDigits;
    reason: PhoneFactorReason;
    requests: number;
    candidateCustomerIds: string[] | null;
  } | null;
  pin: { reason: PinReason; candidateCustomerIds: string[]; verifiedCustomerId: string | null } | null;
  credential: CredentialState | null;
  payment: PaymentState | null;
  refunds: Record<string, RefundState>;
  declineReason: DeclineReason | null;
  declineFallback: 'phone_pin' | null;
  /** Replays of a spent credential rejected after the payment went through. */
  rejectedReplays: number;
}

export type CheckoutState = { status: 'none' } | Checkout;

export const initialCheckoutState = (): CheckoutState => ({ status: 'none' });

const ms = (iso: string) => Date.parse(iso);
const PAID: readonly CheckoutStatus[] = ['authorized', 'captured', 'voided'];

export function evolveCheckout(state: CheckoutState, event: CheckoutEvent): CheckoutState {
  if (event.type === 'CheckoutStarted') {
    const d = event.data;
    return {
      status: d.method === 'face' ? 'awaiting_liveness' : 'awaiting_phone',
      checkoutId: d.checkoutId,
      merchantId: d.merchantId,
      merchantAccountId: d.merchantAccountId,
      terminalId: d.terminalId,
      terminalSessionId: d.terminalSessionId,
      amountMinor: BigInt(d.amountMinor),
      currency: d.currency,
      idempotencyKey: d.idempotencyKey,
      method: d.method,
      startedAtMs: ms(d.startedAt),
      liveness: null,
      phoneFactor: null,
      pin: null,
      credential: null,
      payment: null,
      refunds: {},
      declineReason: null,
      declineFallback: null,
      rejectedReplays: 0,
    };
  }
  if (state.status === 'none') return state;
  return evolveStarted(state, event);
}

function evolveStarted(state: Checkout, event: CheckoutEvent): Checkout {
  switch (event.type) {
    case 'CheckoutStarted':
      return state;
    case 'LivenessVerdictRecorded':
      return { ...state, liveness: { verdict: event.data.verdict, score: event.data.score } };
    case 'PhoneFactorRequested':
      return {
        ...state,
        status: 'awaiting_phone',
        phoneFactor: {
          requestedDigits: event.data.digits,
          reason: event.data.reason,
          requests: (state.phoneFactor?.requests ?? 0) + 1,
          candidateCustomerIds: null,
        },
      };
    case 'PhoneFactorProvided':
      return {
        ...state,
        status: 'matching',
        phoneFactor: state.phoneFactor && {
          ...state.phoneFactor,
          candidateCustomerIds: event.data.candidateCustomerIds,
        },
      };
    case 'FaceMatchRecorded':
      return state;
    case 'PinRequested':
      return {
        ...state,
        status: 'awaiting_pin',
        pin: {
          reason: event.data.reason,
          candidateCustomerIds: event.data.candidateCustomerIds,
          verifiedCustomerId: null,
        },
      };
    case 'PinVerified':
      return { ...state, pin: state.pin && { ...state.pin, verifiedCustomerId: event.data.customerId } };
    case 'FaceCredentialIssued': {
      const d = event.data;
      const credential = {
        credentialId: d.credentialId,
        customerId: d.customerId,
        terminalId: d.terminalId,
        terminalSessionId: d.terminalSessionId,
      };
      return {
        ...state,
        status: 'credential_issued',
        credential: { ...credential, factors: d.factors, expiresAtMs: ms(d.expiresAt), consumed: false },
      };
    }
    case 'PaymentAuthorized':
      return {
        ...state,
        status: 'authorized',
        credential: state.credential && { ...state.credential, consumed: true },
        payment: paymentOf(event),
      };
    case 'PaymentCaptured':
      return {
        ...state,
        status: 'captured',
        payment: state.payment && { ...state.payment, capturedMinor: BigInt(event.data.amountMinor) },
      };
    case 'PaymentVoided':
      return { ...state, status: 'voided' };
    case 'PaymentDeclined':
      if (event.data.reason === 'credential_reused' && PAID.includes(state.status)) {
        return { ...state, rejectedReplays: state.rejectedReplays + 1 };
      }
      return {
        ...state,
        status: 'declined',
        declineReason: event.data.reason,
        declineFallback: event.data.fallback,
        credential: state.credential && { ...state.credential, consumed: true },
      };
    case 'CheckoutCancelled':
      return { ...state, status: 'cancelled' };
    case 'RefundRequested':
    case 'PaymentRefunded':
    case 'RefundDeclined':
      return { ...state, refunds: evolveRefunds(state.refunds, event) };
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

function paymentOf(event: PaymentAuthorized): PaymentState {
  const d = event.data;
  return {
    transferId: d.transferId,
    customerId: d.customerId,
    walletAccountId: d.walletAccountId,
    authorizedMinor: BigInt(d.amountMinor),
    expiresAtMs: ms(d.expiresAt),
    capturedMinor: null,
  };
}

function evolveRefunds(
  refunds: Record<string, RefundState>,
  event: RefundRequested | PaymentRefunded | RefundDeclined,
): Record<string, RefundState> {
  const { refundId } = event.data;
  if (event.type === 'RefundRequested') {
    return {
      ...refunds,
      [refundId]: {
        transferId: event.data.transferId,
        amountMinor: BigInt(event.data.amountMinor),
        status: 'requested',
      },
    };
  }
  const refund = refunds[refundId];
  if (refund === undefined) return refunds;
  return { ...refunds, [refundId]: { ...refund, status: event.type === 'PaymentRefunded' ? 'refunded' : 'declined' } };
}

/** Captured minus refunds requested or done: what a new refund may still take. */
export function refundableMinor(state: Checkout): bigint {
  const captured = state.payment?.capturedMinor ?? 0n;
  const reserved = Object.values(state.refunds)
    .filter((r) => r.status !== 'declined')
    .reduce((sum, r) => sum + r.amountMinor, 0n);
  return captured - reserved;
}

export function refundedMinor(state: Checkout): bigint {
  return Object.values(state.refunds)
    .filter((r) => r.status === 'refunded')
    .reduce((sum, r) => sum + r.amountMinor, 0n);
}
