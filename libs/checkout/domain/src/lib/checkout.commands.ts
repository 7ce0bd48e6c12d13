import type { CurrencyCode } from '@smilepay/ledger/domain';
import type { CheckoutMethod, LivenessEvidence, LivenessVerdict, PhoneDigits } from './checkout.events';
import type { TerminalRiskFacts } from './policy/phone-factor-policy';

/** Times, ids and amounts arrive in commands (STYLE.md §3); amounts are bigint minor units. */
export interface StartCheckout {
  type: 'StartCheckout';
  checkoutId: string;
  merchantId: string;
  merchantAccountId: string;
  terminalId: string;
  terminalSessionId: string;
  amountMinor: bigint;
  currency: CurrencyCode;
  idempotencyKey: string;
  method: CheckoutMethod;
  /** The terminal's own face lockout, read from its stream by the application. */
  terminalFaceLocked: boolean;
  /** Risk quarantined the terminal (risk_terminal-<id>): no payment of any method starts there. */
  terminalQuarantined: boolean;
  at: Date;
}

export interface RecordLivenessVerdict {
  type: 'RecordLivenessVerdict';
  verdict: LivenessVerdict;
  score: number | null;
  /** Facts the risk policy needs to choose how many phone digits to ask for. */
  terminalRisk: TerminalRiskFacts;
  /** The gateway's per-signal scores, frame digests and model versions, for the evidence pack (optional). */
  evidence?: LivenessEvidence;
  at: Date;
}

export interface ProvidePhoneFactor {
  type: 'ProvidePhoneFactor';
  /** How many digits were typed (the digits themselves never reach the stream). */
  digits: PhoneDigits;
  /** Customers behind those digits, resolved by the application from the phone index. */
  candidateCustomerIds: string[];
  at: Date;
}

/** What checkout needs to know about a customer whose face matched. */
export interface MatchedCustomer {
  customerId: string;
  score: number;
  faceLocked: boolean;
  pinRequired: boolean;
  hasPin: boolean;
  pinLocked: boolean;
  /** Risk locked this customer (risk_customer-<id>): identified, but refused. */
  riskLocked: boolean;
}

export interface RecordFaceMatch {
  type: 'RecordFaceMatch';
  /** Highest similarity over all candidate templates, null when none could be compared. */
  bestScore: number | null;
  /** Candidates at or above the threshold. */
  matched: MatchedCustomer[];
  threshold: number;
  fmr: number;
  modelVersion: string;
  /**
   * Candidates with no face to match because theirs was erased (an approved loss claim, a withdrawn consent): they
   * must enrol again. Only asked for when nothing matched.
   */
  faceErasedCustomerIds: string[];
  /** Used only if the match issues a credential. */
  credentialId: string;
  at: Date;
}

/** What the PIN vault said: the one candidate whose PIN verified, none, every candidate's PIN locked, or no PIN set. */
export type PinResult =
  { kind: 'verified'; customerId: string } | { kind: 'failed' } | { kind: 'locked' } | { kind: 'not_set' };

export interface RecordPinVerification {
  type: 'RecordPinVerification';
  result: PinResult;
  /** Risk locked the customer whose PIN verified (false when none verified). */
  verifiedCustomerRiskLocked: boolean;
  /** Used only if the PIN issues a credential. */
  credentialId: string;
  at: Date;
}

/** The result of asking the ledger for the hold, decided before this command (see checkCredential). */
export type Reservation = 'reserved' | 'insufficient_funds' | 'not_attempted';

export interface AuthorizePayment {
  type: 'AuthorizePayment';
  credentialId: string;
  terminalId: string;
  terminalSessionId: string;
  /** Client-chosen id of the pending transfer: the same id is a retry of the same authorization. */
  transferId: string;
  walletAccountId: string;
  /**
   * Risk standing read just before the hold: a lock or quarantine raised after the credential was issued still stops
   * the payment. When either is set no money is reserved (`reservation: 'not_attempted'`).
   */
  customerRiskLocked: boolean;
  terminalQuarantined: boolean;
  reservation: Reservation;
  at: Date;
}

export interface CapturePayment {
  type: 'CapturePayment';
  /** Omitted: the full authorized amount. A smaller amount releases the rest. */
  amountMinor?: bigint;
  at: Date;
}

export interface VoidPayment {
  type: 'VoidPayment';
  reason: 'cancelled' | 'authorization_expired';
  at: Date;
}

export interface CancelCheckout {
  type: 'CancelCheckout';
  reason: 'cancelled_by_terminal' | 'timed_out';
  at: Date;
}

export interface RequestRefund {
  type: 'RequestRefund';
  refundId: string;
  /** The ledger transfer (merchant → wallet) that will carry the refund. */
  transferId: string;
  amountMinor: bigint;
  at: Date;
}

export interface CompleteRefund {
  type: 'CompleteRefund';
  refundId: string;
  outcome: 'refunded' | 'merchant_insufficient_funds';
  at: Date;
}

export type CheckoutCommand =
  | StartCheckout
  | RecordLivenessVerdict
  | ProvidePhoneFactor
  | RecordFaceMatch
  | RecordPinVerification
  | AuthorizePayment
  | CapturePayment
  | VoidPayment
  | CancelCheckout
  | RequestRefund
  | CompleteRefund;
