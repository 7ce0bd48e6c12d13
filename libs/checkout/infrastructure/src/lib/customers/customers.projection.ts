import { CUSTOMER_EVENT_TYPES, type CustomerEvent, type CustomerRegistered } from '@smilepay/enrollment/domain';
import type { RecordedEvent } from '@smilepay/shared/eventstore';
import { type Projection, upsertEntities } from '@smilepay/shared/projections';
import type { EntityManager } from 'typeorm';
import { loadRows } from '../read-model-rows';
import { CustomerSummaryEntity } from './customer-summary.entity';
import { maskPhone, phoneLast4Of } from './phone-mask';

export const CUSTOMERS_PROJECTION = 'customers';

interface CustomerRecord {
  event: CustomerEvent;
  position: bigint;
}

const CUSTOMER_TYPES: ReadonlySet<string> = new Set(CUSTOMER_EVENT_TYPES);

function customerRecords(events: readonly RecordedEvent[]): CustomerRecord[] {
  return events
    .filter((r) => CUSTOMER_TYPES.has(r.type) && r.streamId.startsWith('customer-'))
    .map((r) => ({ event: { type: r.type, data: r.data } as CustomerEvent, position: r.position }));
}

/** The full number is used here once, to mask it, and is never written to this table. */
function registeredRow(event: CustomerRegistered, position: bigint): CustomerSummaryEntity {
  const d = event.data;
  return Object.assign(new CustomerSummaryEntity(), {
    customerId: d.customerId,
    phoneMasked: maskPhone(d.phoneE164),
    phoneLast4: phoneLast4Of(d.phoneE164),
    walletAccountId: d.walletAccountId,
    registeredAt: new Date(d.registeredAt),
    faceStatus: 'none',
    faceEnrolledAt: null,
    faceLockedUntil: null,
    lastPosition: position,
  } satisfies CustomerSummaryEntity);
}

/** Applies one event to its row in place; returns false when the event does not change this read model. */
function applyToCustomer(row: CustomerSummaryEntity, event: CustomerEvent): boolean {
  switch (event.type) {
    case 'FaceEnrolled':
      row.faceStatus = 'enrolled';
      row.faceEnrolledAt = new Date(event.data.enrolledAt);
      return true;
    case 'BiometricsErased':
      row.faceStatus = 'erased';
      row.faceLockedUntil = null;
      return true;
    case 'FacePaymentLocked':
      row.faceLockedUntil = new Date(event.data.lockedUntil);
      return true;
    case 'FacePaymentUnlocked':
      row.faceLockedUntil = null;
      return true;
    default:
      return false;
  }
}

/**
 * `customers`: the analyst's view of a customer (masked phone, wallet, face status and lockout). Each row remembers
 * the last event applied, so applying an event twice changes nothing.
 */
export const customersProjection: Projection = {
  name: CUSTOMERS_PROJECTION,
  tables: ['customers'],
  async apply(events: RecordedEvent[], tx: EntityManager): Promise<void> {
    const records = customerRecords(events);
    if (records.length === 0) return;
    const rows = await loadRows(tx, CustomerSummaryEntity, 'customerId', [...new Set(records.map((r) => r.event.data.customerId))]);
    const changed = new Set<CustomerSummaryEntity>();
    for (const { event, position } of records) {
      const row = rows.get(event.data.customerId);
      if (row === undefined) {
        if (event.type !== 'CustomerRegistered') {
          throw new Error(`customers: ${event.type} at position ${position} for unregistered customer ${event.data.customerId}`);
        }
        const created = registeredRow(event, position);
        rows.set(created.customerId, created);
        changed.add(created);
      } else if (row.lastPosition < position && applyToCustomer(row, event)) {
        row.lastPosition = position;
        changed.add(row);
      }
    }
    await upsertEntities(tx, CustomerSummaryEntity, 'customerId', [...changed]);
  },
};
