/** Wire types of the auditor's api (apps/api audit controller) shared with the dashboard. Bigints are decimal strings. */

export interface AuditEventView {
  position: string;
  revision: string;
  type: string;
  recordedAt: string;
  actor: string | null;
  data: unknown;
  prevHash: string;
  hash: string;
}

export interface AuditStreamPage {
  streamId: string;
  events: AuditEventView[];
  /** The revision to ask for next, or null when the stream ended within this page. */
  nextRevision: string | null;
}

export type AuditVerificationStatus = 'running' | 'done' | 'failed';

export interface AuditVerificationFailure {
  kind: 'event' | 'checkpoint';
  streamId?: string;
  revision?: string;
  position?: string;
  reason: string;
  message: string;
}

export interface AuditVerificationSummary {
  ok: boolean;
  headPosition: string;
  eventsChecked: number;
  streamsChecked: number;
  checkpointsChecked: number;
  unsealedEvents: number;
  failures: AuditVerificationFailure[];
  /** True when more failures existed than are listed. */
  truncated: boolean;
  durationMs: number;
}

export interface AuditVerificationView {
  id: string;
  status: AuditVerificationStatus;
  startedAt: string;
  finishedAt: string | null;
  progress: { eventsChecked: number; position: string; headPosition: string };
  report: AuditVerificationSummary | null;
  error: string | null;
}

export interface AuditPublicKeyView {
  keyId: string;
  pem: string;
}
