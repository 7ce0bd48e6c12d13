import type { CheckpointFailure, StreamChainFailure } from '@smilepay/audit/domain';

/** The checkpoint whose range holds an event. */
export interface CheckpointRef {
  revision: bigint;
  position: bigint;
  fromPosition: bigint;
  toPosition: bigint;
}

export type EventFailureReason =
  | StreamChainFailure['reason']
  /** Found by re-hashing the stored bytes of the embedded store (edits that JSON parsing forgives). */
  | 'stored_bytes_mismatch'
  /** The embedded store's stream head disagrees with its last stored event: the tail of the stream was removed. */
  | 'stream_head_mismatch';

export interface EventFailure {
  streamId: string;
  revision: bigint;
  position: bigint | undefined;
  eventId: string | undefined;
  reason: EventFailureReason;
  message: string;
  /** The checkpoint that sealed this event, if it is sealed. */
  checkpoint?: CheckpointRef;
}

export interface VerificationReport {
  ok: boolean;
  ledgerName: string;
  auditStreamId: string;
  /** $all is verified up to this position (the head when verification started). */
  headPosition: bigint;
  eventsChecked: number;
  streamsChecked: number;
  checkpointsChecked: number;
  authenticCheckpoints: number;
  keyRotations: number;
  trustedKeyIds: string[];
  sealedEvents: number;
  /** Events after the last checkpoint: their chains are checked, but nothing signed covers them yet. */
  unsealedEvents: number;
  lastSealedPosition: bigint | undefined;
  eventFailures: EventFailure[];
  checkpointFailures: CheckpointFailure[];
  consistency: { pairsChecked: number; skipped?: string };
  /** The embedded store's byte-level check; `inWorker` when it ran on a worker thread beside the walk. */
  storedBytes: { checked: boolean; inWorker?: boolean; skipped?: string };
  /** True when failures were cut at maxFailures. */
  truncated: boolean;
  durationMs: number;
}

export type VerifyPhase = 'audit_stream' | 'events' | 'stored_bytes' | 'consistency';

export interface VerifyProgress {
  phase: VerifyPhase;
  /** Events walked so far (events phase), pairs checked (consistency). */
  done: number;
  /** Position reached (events phase) out of `headPosition`. */
  position?: bigint;
  headPosition?: bigint;
}
