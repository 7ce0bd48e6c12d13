import { randomUUID } from 'node:crypto';
import {
  type AuditCheckpointSealed,
  type AuditKeyRotated,
  DEFAULT_LEDGER_NAME,
  rotationSigningPayload,
  sealCheckpoint,
  type SealedLeaf,
} from '@smilepay/audit/domain';
import { type EventMetadata, type EventStore, type NewEvent, WrongExpectedVersionError } from '@smilepay/shared/eventstore';
import { type AuditLogger, messageOf, silentAuditLogger } from '../audit-logger';
import { ed25519Signer, nodeEventHasher, nodeMerkleHasher, nodeSha256 } from '../crypto/node-crypto';
import type { AuditKeyStore } from '../keys/audit-key-store';
import { scanAll } from '../read/scan-all';
import { loadSealerState, type SealerState } from './sealer-state';

export interface SealerOptions {
  ledgerName?: string;
  /** Seal as soon as this many events are unsealed; also the most events one checkpoint seals (default 10,000). */
  everyEvents?: number;
  /** Seal whatever is unsealed once this long has passed since the last checkpoint (default 60 s). */
  everySeconds?: number;
  /** How often the background loop looks for new events (default 1 s). */
  pollIntervalMs?: number;
  /** Append attempts when another sealer appended first (default 3). */
  maxAttempts?: number;
  clock?: () => Date;
  logger?: AuditLogger;
}

export interface SealedCheckpointSummary {
  revision: bigint;
  position: bigint;
  fromPosition: bigint;
  toPosition: bigint;
  eventCount: number;
  treeSize: number;
  merkleRoot: string;
  keyId: string;
}

export interface KeyRotationSummary {
  revision: bigint;
  oldKeyId: string;
  newKeyId: string;
  newPublicKeyFile: string;
}

/** The sealer refuses to sign over an event whose content no longer matches its stored hash. */
export class TamperedBeforeSealError extends Error {
  constructor(
    readonly streamId: string,
    readonly revision: bigint,
    readonly position: bigint,
  ) {
    super(`event ${revision} of ${streamId} at position ${position} does not match its stored hash: refusing to seal it`);
    this.name = 'TamperedBeforeSealError';
  }
}

/** An unsealed event: what gets sealed, plus its stream (the time trigger ignores the audit stream's own events). */
type UnsealedEvent = SealedLeaf & { streamId: string };

const LIMITS = { maxEveryEvents: 100_000, maxEverySeconds: 86_400, maxBackoffMs: 60_000 };

/**
 * Appends AuditCheckpointSealed to `audit_checkpoint-<ledger>` every N events or T seconds, signed with Ed25519.
 * Framework-free: `start()` runs it in the background of any process, `sealPending()` runs it once (the CLI).
 * Several sealers may run against one store: the audit stream's expected revision lets one win, and the others
 * reload and continue from its checkpoint.
 */
export class Sealer {
  readonly ledgerName: string;
  private readonly everyEvents: number;
  private readonly everySeconds: number;
  private readonly pollIntervalMs: number;
  private readonly maxAttempts: number;
  private readonly clock: () => Date;
  private readonly logger: AuditLogger;
  private state: SealerState | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private failures = 0;
  private readonly startedAt: Date;

  constructor(
    private readonly store: EventStore,
    private readonly keys: AuditKeyStore,
    options: SealerOptions = {},
  ) {
    this.ledgerName = options.ledgerName ?? DEFAULT_LEDGER_NAME;
    this.everyEvents = bounded('everyEvents', options.everyEvents ?? 10_000, 1, LIMITS.maxEveryEvents);
    this.everySeconds = bounded('everySeconds', options.everySeconds ?? 60, 1, LIMITS.maxEverySeconds);
    this.pollIntervalMs = bounded('pollIntervalMs', options.pollIntervalMs ?? 1000, 10, 600_000);
    this.maxAttempts = bounded('maxAttempts', options.maxAttempts ?? 3, 1, 10);
    this.clock = options.clock ?? (() => new Date());
    this.logger = options.logger ?? silentAuditLogger;
    this.startedAt = this.clock();
  }

  /**
   * Seals every full batch of `everyEvents`, and the remainder too when `force` is set or `everySeconds` have passed
   * since the last checkpoint. A remainder made only of the audit stream's own events is left for later, so an idle
   * store does not seal its last checkpoint forever.
   */
  async sealPending(options: { force?: boolean; onProgress?: (sealedEvents: number) => void } = {}): Promise<SealedCheckpointSummary[]> {
    const sealed: SealedCheckpointSummary[] = [];
    let conflicts = 0;
    for (;;) {
      const state = await this.loadState();
      const leaves = await this.unsealedLeaves(state, this.everyEvents);
      if (leaves.length === 0) return sealed;
      const full = leaves.length === this.everyEvents;
      if (!full && !options.force && !this.remainderDue(state, leaves)) return sealed;
      try {
        sealed.push(await this.appendCheckpoint(state, leaves));
      } catch (error) {
        // Another sealer appended first: reload its checkpoint and look again at what is still unsealed.
        if (!(error instanceof WrongExpectedVersionError) || ++conflicts >= this.maxAttempts) throw error;
        this.state = undefined;
        continue;
      }
      options.onProgress?.(sealed.reduce((sum, checkpoint) => sum + checkpoint.eventCount, 0));
      if (!full) return sealed;
    }
  }

  /** Starts the background loop (idempotent). Errors are logged and retried with a bounded backoff. */
  start(): void {
    if (this.timer !== undefined) return;
    this.schedule(this.pollIntervalMs);
  }

  async stop(): Promise<void> {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /**
   * Replaces the sealing key: a new key pair in the key directory, then AuditKeyRotated signed by both keys in the
   * audit stream. The old key stays on disk (it verified the past); only the new one signs from now on.
   */
  async rotateKey(): Promise<KeyRotationSummary> {
    return this.withRetry(async () => {
      const state = await this.loadState();
      const next = this.keys.generate();
      const unsigned = {
        ledgerName: this.ledgerName,
        oldKeyId: state.key.keyId,
        oldPublicKey: state.key.publicKey,
        newKeyId: next.keyId,
        newPublicKey: next.publicKey,
        previousCheckpointHash: state.cursor.previousCheckpointHash,
        rotatedAt: this.clock().toISOString(),
      };
      const payload = rotationSigningPayload(unsigned);
      const event: AuditKeyRotated = {
        type: 'AuditKeyRotated',
        data: { ...unsigned, signature: ed25519Signer(state.key.privateKey)(payload), newKeySignature: ed25519Signer(next.privateKey)(payload) },
      };
      const result = await this.appendAudit(state, event);
      this.keys.activate(next.keyId);
      this.state = { ...state, key: next, lastRevision: result.nextExpectedRevision };
      this.logger.log(`audit key rotated from ${state.key.keyId} to ${next.keyId}`);
      return { revision: result.nextExpectedRevision, oldKeyId: state.key.keyId, newKeyId: next.keyId, newPublicKeyFile: this.keys.publicFile(next.keyId) };
    });
  }

  /** The key that signs the next checkpoint (loads the state; generates the first key on first use). */
  async activeKey(): Promise<{ keyId: string; publicKeyPem: string }> {
    const state = await this.loadState();
    return { keyId: state.key.keyId, publicKeyPem: this.keys.publicKeyPem(state.key.keyId) };
  }

  private async appendCheckpoint(state: SealerState, leaves: SealedLeaf[]): Promise<SealedCheckpointSummary> {
    const request = { ledgerName: this.ledgerName, keyId: state.key.keyId, sealedAt: this.clock().toISOString(), leaves };
    const { data, next } = sealCheckpoint(nodeMerkleHasher, nodeSha256, state.cursor, request, ed25519Signer(state.key.privateKey));
    const event: AuditCheckpointSealed = { type: 'AuditCheckpointSealed', data };
    const result = await this.appendAudit(state, event);
    this.state = { ...state, cursor: next, lastRevision: result.nextExpectedRevision, lastSealedAt: new Date(data.sealedAt) };
    return {
      revision: result.nextExpectedRevision,
      position: result.position,
      fromPosition: BigInt(data.fromPosition),
      toPosition: BigInt(data.toPosition),
      eventCount: leaves.length,
      treeSize: Number(data.treeSize),
      merkleRoot: data.merkleRoot,
      keyId: data.keyId,
    };
  }

  private async appendAudit(state: SealerState, event: AuditCheckpointSealed | AuditKeyRotated) {
    const metadata: EventMetadata = { correlationId: randomUUID(), causationId: randomUUID(), actor: 'system:audit-sealer', schemaVersion: 1 };
    const newEvent: NewEvent = { type: event.type, data: event.data, metadata };
    return this.store.append(state.streamId, [newEvent], { expectedState: state.lastRevision ?? 'no_stream' });
  }

  /** Up to `limit` events after the cursor, each re-hashed from its content before it may be signed. */
  private async unsealedLeaves(state: SealerState, limit: number): Promise<UnsealedEvent[]> {
    const leaves: UnsealedEvent[] = [];
    for await (const page of scanAll(this.store, { after: state.cursor.toPosition, pageSize: Math.min(limit, 5000) })) {
      if (page.kind !== 'events') continue;
      for (const event of page.events) {
        if (nodeEventHasher(event) !== event.hash) throw new TamperedBeforeSealError(event.streamId, event.revision, event.position);
        leaves.push({ position: event.position, hash: event.hash, streamId: event.streamId });
        if (leaves.length === limit) return leaves;
      }
    }
    return leaves;
  }

  private remainderDue(state: SealerState, leaves: UnsealedEvent[]): boolean {
    const since = state.lastSealedAt ?? this.startedAt;
    if (this.clock().getTime() - since.getTime() < this.everySeconds * 1000) return false;
    return leaves.some((leaf) => leaf.streamId !== state.streamId);
  }

  private async loadState(): Promise<SealerState> {
    if (this.state !== undefined) return this.state;
    const { keyCreated, ...state } = await loadSealerState(this.store, this.keys, this.ledgerName);
    if (keyCreated) this.logger.warn(`generated the first audit sealing key ${state.key.keyId} in ${this.keys.dir}: give auditors ${this.keys.publicFile(state.key.keyId)}`);
    this.state = state;
    return state;
  }

  /** Another sealer appended first: reload from the stream and try again, a bounded number of times. */
  private async withRetry<T>(work: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await work();
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError) || attempt >= this.maxAttempts) throw error;
        this.state = undefined;
      }
    }
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.running = this.sealPending()
        .then((sealed) => {
          this.failures = 0;
          for (const c of sealed) this.logger.log(`sealed positions ${c.fromPosition}..${c.toPosition} (${c.eventCount} events, tree ${c.treeSize})`);
        })
        .catch((error: unknown) => {
          this.failures += 1;
          this.state = undefined;
          this.logger.error(`audit sealing failed (attempt ${this.failures}): ${messageOf(error)}`, error instanceof Error ? error.stack : undefined);
        })
        .finally(() => {
          if (this.timer === undefined) return;
          const backoff = Math.min(this.pollIntervalMs * 2 ** Math.min(this.failures, 10), LIMITS.maxBackoffMs);
          this.schedule(this.failures === 0 ? this.pollIntervalMs : backoff);
        });
    }, delayMs);
    this.timer.unref?.();
  }
}

function bounded(name: string, value: number, min: number, max: number): number {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new RangeError(`sealer ${name} must be an integer from ${min} to ${max}, got ${String(value)}`);
  }
  return value;
}
