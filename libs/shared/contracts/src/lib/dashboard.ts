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

export type PaymentStatus = 'started' | 'authorized' | 'captured' | 'voided' | 'declined' | 'refunded';

export interface PaymentFeedItem {
  paymentId: string;
  checkoutId: string;
  merchantId: string;
  terminalId: string;
  customerId: string | null;
  amountMinor: string;
  currency: string;
  status: PaymentStatus;
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
  approvalRate: number;
  spoofsBlocked: number;
  decisionLatencyMsP95: number | null;
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
  'payment.updated': (item: PaymentFeedItem) => void;
  'kpi.updated': (kpi: KpiSnapshot) => void;
  'alert.raised': (alert: RiskAlertView) => void;
  'claim.updated': (claim: ClaimView) => void;
}
