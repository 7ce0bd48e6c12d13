import { LEDGER_ACCOUNT_CATEGORY, LEDGER_TRANSFER_CATEGORY } from '@smilepay/ledger/domain';
import type { BatchHandler, EventMetadata, EventStore, RecordedEvent } from '@smilepay/shared/eventstore';
import { AccountDirectoryCache } from '../streams/account-directory';
import { decodeLedgerEvent } from '../streams/ledger-codecs';
import { LedgerStreams } from '../streams/ledger-streams';
import { type LedgerLogger, LEDGER_SCHEMA_VERSION, silentLogger } from '../streams/request-context';
import { type DeliveryFailure, deliverCredits } from './deliver-credits';

export interface CreditForwarderOptions {
  logger?: LedgerLogger;
  maxAttempts?: number;
  accountCacheSize?: number;
  /** Attempts per event before its failures are reported and the forwarder moves on (bounded, like every retry). */
  maxDeliveryRounds?: number;
}

export interface ForwardReport {
  eventsScanned: number;
  delivered: number;
  alreadyApplied: number;
  failed: Array<DeliveryFailure & { eventId: string }>;
}

const ACTOR = 'system:ledger-credit-forwarder';

/**
 * Re-delivers credits owed by recorded ledger events: the safety net for a process that died between a home append
 * and its credit delivery. Fed by a `$all` subscription (`handler()`), it scans batches in order; delivery is
 * idempotent, so credits the service already delivered change nothing.
 */
export class CreditForwarder {
  private readonly streams: LedgerStreams;
  private readonly directory: AccountDirectoryCache;
  private readonly logger: LedgerLogger;
  private readonly maxDeliveryRounds: number;

  constructor(store: EventStore, options: CreditForwarderOptions = {}) {
    this.streams = new LedgerStreams(store, { maxAttempts: options.maxAttempts });
    this.directory = new AccountDirectoryCache(store, options.accountCacheSize);
    this.logger = options.logger ?? silentLogger;
    this.maxDeliveryRounds = options.maxDeliveryRounds ?? 3;
  }

  async forward(events: readonly RecordedEvent[]): Promise<ForwardReport> {
    const report: ForwardReport = { eventsScanned: 0, delivered: 0, alreadyApplied: 0, failed: [] };
    for (const record of events) {
      if (!isHomeStream(record.streamId)) continue;
      const event = decodeLedgerEvent(record);
      if (event?.type !== 'LedgerTransfersRecorded' && event?.type !== 'LedgerPendingPosted') continue;
      report.eventsScanned += 1;
      for (let round = 1; ; round++) {
        const result = await deliverCredits(
          { streams: this.streams, directory: this.directory },
          event,
          record.streamId,
          metadataFor(record),
        );
        report.delivered += result.delivered;
        report.alreadyApplied += result.alreadyApplied;
        if (result.failed.length === 0) break;
        if (round >= this.maxDeliveryRounds) {
          report.failed.push(...result.failed.map((failure) => ({ ...failure, eventId: record.id })));
          break;
        }
      }
    }
    return report;
  }

  /**
   * A subscription handler. Failures are logged, not thrown: a credit that cannot be delivered must not stop every
   * later one (the account's view stays lower than the truth, which is safe, until an operator replays).
   */
  handler(): BatchHandler {
    return async (events) => {
      const report = await this.forward(events);
      for (const failure of report.failed) {
        this.logger.error(
          `credit ${failure.transferId} for ${failure.accountId} (event ${failure.eventId}) not delivered`,
          failure.error,
        );
      }
    };
  }
}

function isHomeStream(streamId: string): boolean {
  return streamId.startsWith(`${LEDGER_ACCOUNT_CATEGORY}-`) || streamId.startsWith(`${LEDGER_TRANSFER_CATEGORY}-`);
}

/** The delivery continues the flow of the event it forwards. */
function metadataFor(record: RecordedEvent): EventMetadata {
  return {
    correlationId: record.metadata.correlationId,
    causationId: record.id,
    actor: ACTOR,
    schemaVersion: LEDGER_SCHEMA_VERSION,
  };
}
