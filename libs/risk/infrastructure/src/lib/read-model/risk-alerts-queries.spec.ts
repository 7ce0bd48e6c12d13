import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { riskAlertStreamId, type RiskAlertEvent } from '@smilepay/risk/domain';
import { openSqliteEventStore, type SqliteEventStore } from '@smilepay/shared/eventstore';
import {
  openTestReadModelDatabase,
  projectionEntities,
  projectionMigrations,
  ProjectionRunner,
  type TestReadModelDatabase,
} from '@smilepay/shared/projections';
import { RiskAlertsQueries } from './risk-alerts-queries';
import { riskAlertsProjection } from './risk-alerts.projection';
import { riskReadModelEntities, riskReadModelMigrations } from './risk-read-model';

const metadata = { correlationId: 'c', causationId: 'c', actor: 'system:risk', schemaVersion: 1 };
const raised = (alertId: string, minute: number, subject: 'customer' | 'terminal'): RiskAlertEvent => ({
  type: 'RiskAlertRaised',
  data: {
    alertId,
    rule: subject === 'customer' ? 'customer_velocity' : 'spoof_burst',
    severity: 'high',
    subjectType: subject,
    subjectId: subject === 'customer' ? 'cus_1' : 'ter_1',
    customerId: subject === 'customer' ? 'cus_1' : null,
    terminalId: 'ter_1',
    checkoutId: 'chk_1',
    message: 'm',
    action: 'alert',
    triggeredBy: `evt_${alertId}`,
    raisedAt: new Date(Date.UTC(2025, 5, 1, 12, minute)).toISOString(),
  },
});

describe.each(['sqlite', 'postgres'] as const)('the alerts read model on %s', (dialect) => {
  let dir: string;
  let store: SqliteEventStore;
  let db: TestReadModelDatabase;
  let runner: ProjectionRunner;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'smilepay-alerts-'));
    store = openSqliteEventStore(join(dir, 'events.sqlite'));
    db = await openTestReadModelDatabase(dialect, {
      entities: [...projectionEntities, ...riskReadModelEntities],
      migrations: [...projectionMigrations, ...riskReadModelMigrations],
    });
    const silent = { log: () => undefined, warn: () => undefined, error: () => undefined };
    runner = new ProjectionRunner({
      store,
      dataSource: db.dataSource,
      projections: [riskAlertsProjection],
      logger: silent,
      pollIntervalMs: 10,
    });
    await runner.start();
  });
  afterAll(async () => {
    await runner.stop();
    await store.close();
    await db.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists alerts newest first with their status, filtered by status', async () => {
    const append = (alertId: string, events: RiskAlertEvent[]) =>
      store.append(
        riskAlertStreamId(alertId),
        events.map((e) => ({ ...e, metadata })),
        { expectedState: 'any' },
      );
    await append('a1', [raised('a1', 0, 'customer')]);
    await append('a2', [raised('a2', 1, 'terminal')]);
    await append('a3', [raised('a3', 2, 'customer')]);
    await append('a1', [
      {
        type: 'RiskAlertAcknowledged',
        data: { alertId: 'a1', by: 'analyst', acknowledgedAt: '2025-06-01T13:00:00.000Z' },
      },
    ]);
    await append('a2', [
      {
        type: 'RiskAlertTerminalQuarantined',
        data: { alertId: 'a2', terminalId: 'ter_1', by: 'analyst', quarantinedAt: '2025-06-01T13:00:00.000Z' },
      },
    ]);
    await runner.waitFor(await store.headPosition(), { timeoutMs: 10_000 });
    const queries = new RiskAlertsQueries(db.dataSource);
    expect((await queries.list()).map((a) => [a.alertId, a.status])).toEqual([
      ['a3', 'open'],
      ['a2', 'resolved'],
      ['a1', 'acknowledged'],
    ]);
    expect((await queries.list({ status: 'open' })).map((a) => a.alertId)).toEqual(['a3']);
    expect(await queries.get('a2')).toEqual({
      alertId: 'a2',
      rule: 'spoof_burst',
      severity: 'high',
      subjectType: 'terminal',
      subjectId: 'ter_1',
      message: 'm',
      status: 'resolved',
      raisedAt: '2025-06-01T12:01:00.000Z',
    });
    expect(await queries.get('nope')).toBeNull();
  });
});
