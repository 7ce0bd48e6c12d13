/**
 * Wire types shared by the api and the Angular dashboard. Money is a decimal string of minor units.
 * Times are ISO-8601. Nothing here ever carries biometric data (no embeddings, no frames, no templates).
 */

export type Role = 'analyst' | 'auditor' | 'admin';

export interface LoginRequest {
  username: string;
  password: string;
}

export interface LoginResponse {
  token: string;
  role: Role;
  username: string;
  expiresAt: string;
}

/**
 * `cancelled`: the terminal gave up (or timed out) before any decision, so no money was held. `refunded`: at least one
 * refund of the captured amount went through (PaymentDetailView.refundedMinor says how much).
 */
export type PaymentStatus = 'started' | 'authorized' | 'captured' | 'voided' | 'declined' | 'refunded' | 'cancelled';

export interface PaymentFeedItem {
  paymentId: string;
  checkoutId: string;
  merchantId: string;
  terminalId: string;
  customerId: string | null;
  amountMinor: string;
  currency: string;
  status: PaymentStatus;
  /** `phone_pin`: paid with the phone number and PIN instead of the face (no liveness, no match score). */
  method: 'face' | 'phone_pin';
  declineReason: string | null;
  livenessVerdict: 'live' | 'spoof' | 'inconclusive' | null;
  attackSpecies: string | null;
  livenessScore: number | null;
  matchScore: number | null;
  decisionLatencyMs: number | null;
  updatedAt: string;
}

export interface KpiSnapshot {
  at: string;
  paymentsPerMinute: number;
  /** Authorized of decided, in [0, 1]; null when nothing was decided in the window. */
  approvalRate: number | null;
  spoofsBlocked: number;
  decisionLatencyMsP95: number | null;
}

/** GET /v1/payments/:id: the feed item plus the facts the payment page shows. */
export interface PaymentDetailView extends PaymentFeedItem {
  startedAt: string;
  /** When the payment was authorized or declined (the decision the latency is measured to). */
  decidedAt: string | null;
  capturedMinor: string | null;
  refundedMinor: string;
  /** The ledger's pending transfer holding the money, once authorized. */
  transferId: string | null;
  /** Store position of the last event applied to this payment. */
  lastPosition: string;
}

export interface TimelineEntry {
  streamId: string;
  revision: string;
  position: string;
  type: string;
  recordedAt: string;
  actor: string;
  data: unknown;
}

export interface AccountBalanceView {
  accountId: string;
  kind: string;
  currency: string;
  debitsPendingMinor: string;
  debitsPostedMinor: string;
  creditsPendingMinor: string;
  creditsPostedMinor: string;
  /** credits posted − debits posted − debits pending, for debit-constrained accounts. */
  availableMinor: string;
}

/**
 * `quarantined`: face payments are suspended at the terminal (its face lockout after repeated failed or spoofed
 * attempts is cooling down); customers can still pay there with phone and PIN.
 */
export type TerminalStatus = 'active' | 'quarantined';

/** GET /v1/terminals → TerminalView[]. "Today" is the current UTC day. */
export interface TerminalView {
  terminalId: string;
  merchantId: string;
  status: TerminalStatus;
  /** Why and when the terminal was quarantined, when it is. */
  quarantineReason: string | null;
  quarantinedAt: string | null;
  /** When the quarantine ends on its own, unless an analyst lifts it first. */
  quarantinedUntil: string | null;
  registeredAt: string | null;
  lastPaymentAt: string | null;
  /** The latest thing that happened at the terminal: a checkout step or a face attempt. */
  lastSeenAt: string | null;
  paymentsToday: number;
  spoofsBlockedToday: number;
  paymentsTotal: number;
  spoofsBlockedTotal: number;
}

/** `face_locked`: the face lockout is cooling down; `erased`: the face template was erased (the account remains). */
export type CustomerStatus = 'active' | 'face_locked' | 'erased';

/** GET /v1/customers?q=<text> → CustomerSummaryView[]: identity and account only, no face data of any kind. */
export interface CustomerSummaryView {
  customerId: string;
  /** Country code, a fixed mask and the last 4 digits, e.g. '+86•••••8000': the length is not revealed. */
  phoneMasked: string;
  status: CustomerStatus;
  walletAccountId: string;
  /** The wallet's currency; null until the ledger read model has the wallet. */
  currency: string | null;
  /** When the customer registered. */
  enrolledAt: string;
  /** Whether a face template is currently enrolled (never the template itself). */
  faceEnrolled: boolean;
  faceLockedUntil: string | null;
}

/** GET /v1/customers/:customerId/balance → the customer's wallet. */
export type CustomerBalanceView = AccountBalanceView;

export type AlertStatus = 'open' | 'acknowledged' | 'resolved';

export interface RiskAlertView {
  alertId: string;
  rule: string;
  severity: 'low' | 'medium' | 'high';
  subjectType: 'customer' | 'terminal';
  subjectId: string;
  message: string;
  status: AlertStatus;
  raisedAt: string;
}

export type ClaimStatus = 'filed' | 'assigned' | 'approved' | 'reimbursed' | 'rejected';

export interface ClaimView {
  claimId: string;
  customerId: string;
  paymentIds: string[];
  claimedMinor: string;
  currency: string;
  reason: string;
  status: ClaimStatus;
  assignee: string | null;
  filedAt: string;
  slaAgeSeconds: number;
}

/** socket.io namespace `/live`, authenticated with `auth: { token }` in the handshake. */
export const LIVE_NAMESPACE = '/live';

export interface LiveServerEvents {
  /**
   * The payments one or more committed projection batches touched, read back from the read model, oldest change
   * first, at most 200 per message. One message per batch, not per payment: at 500 payments/s and 50 dashboards a
   * message per payment would be tens of thousands of socket frames a second.
   */
  'payments.updated': (items: PaymentFeedItem[]) => void;
  'kpi.updated': (kpi: KpiSnapshot) => void;
  'alert.raised': (alert: RiskAlertView) => void;
  'claim.updated': (claim: ClaimView) => void;
}
