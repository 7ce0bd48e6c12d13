import { BadRequestException, ConflictException, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AuditKeyStore, parsePublicKeyText, readStreamPages, type VerificationReport, Verifier } from '@smilepay/audit/application';
import type { AuditEventView, AuditPublicKeyView, AuditStreamPage, AuditVerificationFailure, AuditVerificationView } from '@smilepay/shared/contracts';
import type { EventStore, RecordedEvent } from '@smilepay/shared/eventstore';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { ApiConfig } from '../config/api-config';
import { EVENT_STORE } from '../infrastructure/tokens';

/** Finished verifications kept for GET; older ones are forgotten so memory stays bounded. */
const KEPT_RESULTS = 10;
/** Failures listed per report on the wire; the CLI gives the full list offline. */
const LISTED_FAILURES = 100;

/** The auditor's read-only view of the event store: stream pages, background verification, the sealing key. */
@Injectable()
export class AuditQueryService {
  private readonly logger = new Logger('AuditQuery');
  private readonly keys: AuditKeyStore;
  private readonly results = new Map<string, AuditVerificationView>();
  private running: string | undefined;

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore, config: ConfigService) {
    const { dataDir } = config.getOrThrow<ApiConfig>('api');
    // The same directory the sealer uses (AuditSealerService), so the key shown is the one that signs.
    this.keys = new AuditKeyStore(process.env['AUDIT_KEY_DIR'] || join(dataDir, 'audit-keys'));
  }

  async readStream(streamId: string, fromRevision: bigint, limit: number): Promise<AuditStreamPage> {
    const events: AuditEventView[] = [];
    for await (const page of readStreamPages(this.store, streamId, { fromRevision, maxCount: limit, pageSize: limit })) {
      for (const event of page) events.push(toView(event));
    }
    const last = events[events.length - 1];
    return { streamId, events, nextRevision: events.length === limit && last ? (BigInt(last.revision) + 1n).toString() : null };
  }

  publicKey(): AuditPublicKeyView {
    const keyId = this.keys.activeKeyId();
    if (keyId === undefined) throw new NotFoundException({ code: 'audit_key_missing', message: 'no sealing key exists yet: the sealer has not run', details: {} });
    return { keyId, pem: this.keys.publicKeyPem(keyId) };
  }

  /** Starts verifying the whole store with the sealer's key; one at a time, since it walks all of $all. */
  async startVerification(): Promise<{ id: string }> {
    if (this.running !== undefined) {
      throw new ConflictException({ code: 'verification_running', message: 'a verification is already running', details: { id: this.running } });
    }
    const { pem } = this.publicKey();
    const id = randomUUID();
    this.running = id;
    const headPosition = await this.store.headPosition().catch((error: unknown) => {
      this.running = undefined;
      throw error;
    });
    const view: AuditVerificationView = {
      id,
      status: 'running',
      startedAt: new Date().toISOString(),
      finishedAt: null,
      progress: { eventsChecked: 0, position: '0', headPosition: headPosition.toString() },
      report: null,
      error: null,
    };
    this.remember(view);
    void this.run(view, parsePublicKeyText(pem));
    return { id };
  }

  verification(id: string): AuditVerificationView {
    const view = this.results.get(id);
    if (!view) throw new NotFoundException({ code: 'verification_not_found', message: 'no such verification (only the last 10 are kept)', details: { id } });
    return view;
  }

  private async run(view: AuditVerificationView, publicKey: string): Promise<void> {
    try {
      const report = await new Verifier(this.store).verify({
        trustedPublicKeys: [publicKey],
        maxFailures: LISTED_FAILURES,
        onProgress: (progress) => {
          if (progress.phase !== 'events') return;
          view.progress = {
            eventsChecked: progress.done,
            position: (progress.position ?? 0n).toString(),
            headPosition: (progress.headPosition ?? BigInt(view.progress.headPosition)).toString(),
          };
        },
      });
      view.report = summarize(report);
      view.progress = { eventsChecked: report.eventsChecked, position: report.headPosition.toString(), headPosition: report.headPosition.toString() };
      view.status = 'done';
    } catch (error) {
      this.logger.error(`verification ${view.id} failed: ${(error as Error).message}`);
      view.status = 'failed';
      view.error = (error as Error).message;
    } finally {
      view.finishedAt = new Date().toISOString();
      this.running = undefined;
    }
  }

  private remember(view: AuditVerificationView): void {
    this.results.set(view.id, view);
    // Maps iterate in insertion order: drop the oldest finished ones beyond the limit.
    for (const [id, kept] of this.results) {
      if (this.results.size <= KEPT_RESULTS) break;
      if (kept.status !== 'running') this.results.delete(id);
    }
  }
}

export function parseBigintParam(name: string, value: string | undefined, fallback: bigint): bigint {
  if (value === undefined || value === '') return fallback;
  if (!/^\d{1,19}$/.test(value)) throw new BadRequestException({ code: 'invalid_query', message: `${name} must be a whole number`, details: { [name]: value } });
  return BigInt(value);
}

function toView(event: RecordedEvent): AuditEventView {
  const actor = (event.metadata as { actor?: unknown } | null)?.actor;
  return {
    position: event.position.toString(),
    revision: event.revision.toString(),
    type: event.type,
    recordedAt: event.recordedAt,
    actor: typeof actor === 'string' ? actor : null,
    data: event.data,
    prevHash: event.prevHash,
    hash: event.hash,
  };
}

function summarize(report: VerificationReport): AuditVerificationView['report'] {
  const failures: AuditVerificationFailure[] = [
    ...report.checkpointFailures.map((f) => ({ kind: 'checkpoint' as const, revision: f.revision.toString(), position: f.position.toString(), reason: f.reason, message: f.message })),
    ...report.eventFailures.map((f) => ({
      kind: 'event' as const,
      streamId: f.streamId,
      revision: f.revision.toString(),
      position: f.position?.toString(),
      reason: f.reason,
      message: f.message,
    })),
  ];
  return {
    ok: report.ok,
    headPosition: report.headPosition.toString(),
    eventsChecked: report.eventsChecked,
    streamsChecked: report.streamsChecked,
    checkpointsChecked: report.checkpointsChecked,
    unsealedEvents: report.unsealedEvents,
    failures: failures.slice(0, LISTED_FAILURES),
    truncated: report.truncated || failures.length > LISTED_FAILURES,
    durationMs: report.durationMs,
  };
}
