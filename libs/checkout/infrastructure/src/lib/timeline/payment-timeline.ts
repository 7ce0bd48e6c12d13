import { checkoutStreamId, type CheckoutEvent } from '@smilepay/checkout/domain';
import type { TimelineEntry } from '@smilepay/shared/contracts';
import type { EventStore, RecordedEvent } from '@smilepay/shared/eventstore';
import type { ProjectionLogger } from '@smilepay/shared/projections';
import { type DataSource, In } from 'typeorm';
import { biometricLookingPaths, WITHHELD_DATA } from './biometric-guard';
import { TransferEventEntity } from './transfer-event.entity';

/** A checkout stream is a handful of events; replays of a spent credential are the only thing that grows it. */
export const MAX_CHECKOUT_EVENTS = 1_000;
/** Ledger events shown for one payment: its hold, capture or void, refunds, claims and credit deliveries. */
export const MAX_LEDGER_EVENTS = 200;
const MAX_TRANSFER_IDS = 200;

/** The ledger transfer ids a checkout names: the payment's pending transfer and every refund's transfer. */
export function transferIdsOf(events: readonly RecordedEvent[]): string[] {
  const ids = new Set<string>();
  for (const record of events) {
    const event = { type: record.type, data: record.data } as CheckoutEvent;
    switch (event.type) {
      case 'PaymentAuthorized':
      case 'PaymentCaptured':
      case 'PaymentVoided':
      case 'RefundRequested':
      case 'PaymentRefunded':
        ids.add(event.data.transferId);
        break;
      default:
        break;
    }
  }
  return [...ids].slice(0, MAX_TRANSFER_IDS);
}

/**
 * Every event of one payment, in store order: its `checkout-<id>` stream, then the ledger events about its transfer
 * ids (found through the `transfer_events` index, so a busy wallet's stream is never scanned), including the posts
 * and voids of its hold and the claims of every id involved.
 */
export class PaymentTimeline {
  constructor(
    private readonly store: EventStore,
    private readonly readModels: DataSource,
    private readonly logger?: Pick<ProjectionLogger, 'warn'>,
  ) {}

  /** Null when there is no such checkout. */
  async of(checkoutId: string): Promise<TimelineEntry[] | null> {
    const checkout = await this.store.readStream(checkoutStreamId(checkoutId), { maxCount: MAX_CHECKOUT_EVENTS });
    if (checkout.length === 0) return null;
    const ledger = await this.ledgerEvents(transferIdsOf(checkout));
    const all = [...checkout, ...ledger].sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0));
    return all.map((event) => this.entry(event));
  }

  private async ledgerEvents(transferIds: string[]): Promise<RecordedEvent[]> {
    const direct = await this.indexed(transferIds);
    const known = new Set(transferIds);
    const related = [...new Set(direct.map((r) => r.relatedId).filter((id): id is string => id !== null && !known.has(id)))];
    const rows = [...direct, ...(await this.indexed(related))];
    const located = new Map<string, TransferEventEntity>();
    for (const row of rows) located.set(row.position.toString(), row);
    const events: RecordedEvent[] = [];
    for (const row of [...located.values()].slice(0, MAX_LEDGER_EVENTS)) {
      const [event] = await this.store.readStream(row.streamId, { fromRevision: row.revision, maxCount: 1 });
      if (event !== undefined && event.position === row.position) events.push(event);
    }
    return events;
  }

  private indexed(transferIds: string[]): Promise<TransferEventEntity[]> {
    if (transferIds.length === 0) return Promise.resolve([]);
    return this.readModels.getRepository(TransferEventEntity).find({
      where: { transferId: In(transferIds.slice(0, MAX_TRANSFER_IDS)) },
      order: { position: 'ASC' },
      take: MAX_LEDGER_EVENTS,
    });
  }

  private entry(event: RecordedEvent): TimelineEntry {
    const suspicious = biometricLookingPaths(event.data);
    if (suspicious.length > 0) {
      this.logger?.warn(`timeline: withheld the data of ${event.type} at position ${event.position} (${suspicious.length} biometric-looking values)`);
    }
    return {
      streamId: event.streamId,
      revision: event.revision.toString(),
      position: event.position.toString(),
      type: event.type,
      recordedAt: event.recordedAt,
      actor: event.metadata.actor,
      data: suspicious.length > 0 ? WITHHELD_DATA : event.data,
    };
  }
}
