import { RISK_ALERT_EVENT_TYPES, type RiskAlertEvent } from '@smilepay/risk/domain';
import type { RecordedEvent } from '@smilepay/shared/eventstore';
import type { Projection } from '@smilepay/shared/projections';
import { type EntityManager, In } from 'typeorm';
import { RiskAlertEntity } from './risk-alert.entity';

export const RISK_ALERTS_PROJECTION = 'risk_alerts';
const KNOWN = new Set<string>(RISK_ALERT_EVENT_TYPES);
const LOAD_CHUNK = 500;

const alertIdOf = (record: RecordedEvent): string => (record.data as { alertId: string }).alertId;

function raisedRow(event: RiskAlertEvent & { type: 'RiskAlertRaised' }, position: bigint): RiskAlertEntity {
  const d = event.data;
  return Object.assign(new RiskAlertEntity(), {
    alertId: d.alertId,
    rule: d.rule,
    severity: d.severity,
    subjectType: d.subjectType,
    subjectId: d.subjectId,
    customerId: d.customerId,
    terminalId: d.terminalId,
    checkoutId: d.checkoutId,
    message: d.message,
    status: 'open',
    raisedAt: new Date(d.raisedAt),
    acknowledgedBy: null,
    resolution: null,
    updatedAt: new Date(d.raisedAt),
    lastPosition: position,
  });
}

function resolve(row: RiskAlertEntity, resolution: string, at: string): void {
  const done = new Set((row.resolution ?? '').split(',').filter((r) => r !== ''));
  done.add(resolution);
  row.resolution = [...done].sort().join(',');
  row.status = 'resolved';
  row.updatedAt = new Date(at);
}

function applyTo(row: RiskAlertEntity, event: RiskAlertEvent): void {
  switch (event.type) {
    case 'RiskAlertRaised':
      return;
    case 'RiskAlertAcknowledged':
      if (row.status === 'open') row.status = 'acknowledged';
      row.acknowledgedBy = event.data.by;
      row.updatedAt = new Date(event.data.acknowledgedAt);
      return;
    case 'RiskAlertCustomerLocked':
      return resolve(row, 'customer_locked', event.data.lockedAt);
    case 'RiskAlertTerminalQuarantined':
      return resolve(row, 'terminal_quarantined', event.data.quarantinedAt);
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

/** `risk_alerts`: one row per alert with its status. Rows remember their last event, so re-delivery changes nothing. */
export const riskAlertsProjection: Projection = {
  name: RISK_ALERTS_PROJECTION,
  tables: ['risk_alerts'],
  async apply(events: RecordedEvent[], tx: EntityManager): Promise<void> {
    const records = events.filter((e) => e.streamId.startsWith('risk_alert-') && KNOWN.has(e.type));
    if (records.length === 0) return;
    const ids = [...new Set(records.map(alertIdOf))];
    const rows = new Map<string, RiskAlertEntity>();
    for (let i = 0; i < ids.length; i += LOAD_CHUNK) {
      for (const row of await tx.getRepository(RiskAlertEntity).findBy({ alertId: In(ids.slice(i, i + LOAD_CHUNK)) }))
        rows.set(row.alertId, row);
    }
    const touched = new Set<RiskAlertEntity>();
    for (const record of records) {
      const event = { type: record.type, data: record.data } as RiskAlertEvent;
      let row = rows.get(alertIdOf(record));
      if (event.type === 'RiskAlertRaised' && row === undefined) {
        row = raisedRow(event, record.position);
        rows.set(row.alertId, row);
        touched.add(row);
        continue;
      }
      if (row === undefined)
        throw new Error(`risk_alerts: ${record.type} at position ${record.position} for an alert never raised`);
      if (row.lastPosition >= record.position) continue;
      applyTo(row, event);
      row.lastPosition = record.position;
      touched.add(row);
    }
    if (touched.size > 0) await tx.getRepository(RiskAlertEntity).save([...touched], { chunk: 100 });
  },
};
