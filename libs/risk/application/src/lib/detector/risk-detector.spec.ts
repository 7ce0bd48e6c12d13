import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { checkoutStreamId, type CheckoutEvent } from '@smilepay/checkout/domain';
import { parseRiskRules, riskAlertStreamId, riskTerminalStreamId } from '@smilepay/risk/domain';
import {
  RiskAlertEntity,
  riskReadModelEntities,
  riskReadModelMigrations,
  riskAlertsProjection,
} from '@smilepay/risk/infrastructure';
import { openSqliteEventStore, type SqliteEventStore } from '@smilepay/shared/eventstore';
import {
  openTestReadModelDatabase,
  projectionEntities,
  projectionMigrations,
  ProjectionRunner,
  rebuildProjection,
  type TestReadModelDatabase,
} from '@smilepay/shared/projections';
import { RiskAlertsService } from '../alerts/risk-alerts.service';
import { RiskStanding } from '../standing/risk-standing';
import { RiskDetector } from './risk-detector';
import { bindRiskDetector, riskDetectorProjection } from './risk-detector.projection';

const T0 = Date.parse('2025-06-02T08:00:00.000Z');
const iso = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();
const metadata = { correlationId: 'corr', causationId: 'corr', actor: 'terminal:test', schemaVersion: 1 };
const rules = parseRiskRules({
  customerVelocity: { payments: 3, windowSeconds: 60 },
  terminalVelocity: { payments: 4, windowSeconds: 60 },
  dailyAmountCap: { minorByCurrency: { EUR: '10000' } },
  spoofBurst: { spoofs: 3, windowSeconds: 300, action: 'quarantine_terminal' },
  borderlineMatch: { margin: 0.03 },
  newTerminalAmount: { minorByCurrency: { EUR: '5000' } },
});

interface Visit {
  terminalId: string;
  seconds: number;
  customerId?: string;
  amountMinor?: number;
  spoof?: boolean;
  match?: number;
}

describe.each(['sqlite', 'postgres'] as const)('risk rules over checkout events (read models on %s)', (dialect) => {
  let dir: string;
  let store: SqliteEventStore;
  let db: TestReadModelDatabase;
  let runner: ProjectionRunner;
  let alerts: RiskAlertsService;

  /** Appends a checkout as the checkout service records it: start, liveness, match, authorization. */
  async function visit(v: Visit): Promise<string> {
    const checkoutId = randomUUID();
    const amountMinor = String(v.amountMinor ?? 1000);
    const events: CheckoutEvent[] = [
      {
        type: 'CheckoutStarted',
        data: {
          checkoutId,
          merchantId: 'mer_1',
          merchantAccountId: randomUUID(),
          terminalId: v.terminalId,
          terminalSessionId: 's',
          amountMinor,
          currency: 'EUR',
          idempotencyKey: checkoutId,
          method: 'face',
          startedAt: iso(v.seconds),
        },
      },
      {
        type: 'LivenessVerdictRecorded',
        data: {
          checkoutId,
          verdict: v.spoof ? 'spoof' : 'live',
          score: v.spoof ? 0.1 : 0.95,
          recordedAt: iso(v.seconds),
        },
      },
    ];
    if (!v.spoof && v.customerId !== undefined) {
      events.push(
        {
          type: 'FaceMatchRecorded',
          data: {
            checkoutId,
            candidateCustomerIds: [v.customerId],
            matchedCustomerIds: [v.customerId],
            bestScore: v.match ?? 0.8,
            threshold: 0.5,
            fmr: 1e-6,
            modelVersion: 'm1',
            recordedAt: iso(v.seconds + 1),
          },
        },
        {
          type: 'PaymentAuthorized',
          data: {
            checkoutId,
            credentialId: randomUUID(),
            customerId: v.customerId,
            transferId: randomUUID(),
            walletAccountId: randomUUID(),
            merchantAccountId: randomUUID(),
            amountMinor,
            currency: 'EUR',
            authorizedAt: iso(v.seconds + 2),
            expiresAt: iso(v.seconds + 600),
          },
        },
      );
    }
    await store.append(
      checkoutStreamId(checkoutId),
      events.map((e) => ({ type: e.type, data: e.data, metadata })),
      { expectedState: 'no_stream' },
    );
    return checkoutId;
  }
  /** Until the head stops moving: the detector appends alerts while it applies, which the alerts projection then reads. */
  const settle = async () => {
    for (
      let head = -2n, next = await store.headPosition();
      head !== next;
      head = next, next = await store.headPosition()
    ) {
      await runner.waitFor(next, { timeoutMs: 10_000 });
    }
  };
  const raisedFor = async (subjectId: string) => {
    await settle();
    const rows = await db.dataSource
      .getRepository(RiskAlertEntity)
      .find({ where: { subjectId }, order: { raisedAt: 'ASC' } });
    return rows.map((r) => r.rule);
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'smilepay-risk-'));
    store = openSqliteEventStore(join(dir, 'events.sqlite'));
    db = await openTestReadModelDatabase(dialect, {
      entities: [...projectionEntities, ...riskReadModelEntities],
      migrations: [...projectionMigrations, ...riskReadModelMigrations],
    });
    alerts = new RiskAlertsService(store);
    const silent = { log: () => undefined, warn: () => undefined, error: () => undefined };
    bindRiskDetector(db.dataSource, new RiskDetector(alerts, rules, silent));
    runner = new ProjectionRunner({
      store,
      dataSource: db.dataSource,
      projections: [riskDetectorProjection, riskAlertsProjection],
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

  it('velocity per customer: N payments in T seconds raise one alert per burst', async () => {
    for (const [i, seconds] of [0, 20, 40, 50].entries())
      await visit({ terminalId: `ter_cv${i}`, seconds, customerId: 'cus_fast' });
    expect(await raisedFor('cus_fast')).toEqual(['customer_velocity']);
    for (const seconds of [200, 210, 220]) await visit({ terminalId: 'ter_cv0', seconds, customerId: 'cus_fast' });
    expect(await raisedFor('cus_fast')).toEqual(['customer_velocity', 'customer_velocity']);
  });

  it('velocity per customer: the same count spread beyond the window raises nothing', async () => {
    for (const seconds of [0, 61, 122, 183]) await visit({ terminalId: 'ter_slow', seconds, customerId: 'cus_slow' });
    expect(await raisedFor('cus_slow')).toEqual([]);
  });

  it('velocity per terminal: N payments by different customers at one terminal', async () => {
    for (const seconds of [1000, 1010, 1020])
      await visit({ terminalId: 'ter_busy', seconds, customerId: `cus_${seconds}` });
    expect(await raisedFor('ter_busy')).toEqual([]);
    await visit({ terminalId: 'ter_busy', seconds: 1030, customerId: 'cus_1030' });
    expect(await raisedFor('ter_busy')).toEqual(['terminal_velocity']);
  });

  it('daily amount cap: fires on the payment that crosses it, and the next day starts afresh', async () => {
    await visit({ terminalId: 'ter_cap', seconds: 3_000, customerId: 'cus_spender', amountMinor: 4_000 });
    await visit({ terminalId: 'ter_cap', seconds: 6_000, customerId: 'cus_spender', amountMinor: 4_000 });
    await visit({ terminalId: 'ter_cap', seconds: 7_000, customerId: 'cus_spender', amountMinor: 2_000 });
    expect(await raisedFor('cus_spender')).toEqual([]);
    await visit({ terminalId: 'ter_cap', seconds: 9_000, customerId: 'cus_spender', amountMinor: 1 });
    await visit({ terminalId: 'ter_cap', seconds: 12_000, customerId: 'cus_spender', amountMinor: 4_000 });
    expect(await raisedFor('cus_spender')).toEqual(['daily_amount_cap']);
    await visit({ terminalId: 'ter_cap', seconds: 86_400 + 3_000, customerId: 'cus_spender', amountMinor: 9_000 });
    expect(await raisedFor('cus_spender')).toEqual(['daily_amount_cap']);
  });

  it('bursts of spoof verdicts at one terminal raise an alert and quarantine it (configured action)', async () => {
    for (const seconds of [20_000, 20_100]) await visit({ terminalId: 'ter_attacked', seconds, spoof: true });
    expect(await raisedFor('ter_attacked')).toEqual([]);
    await visit({ terminalId: 'ter_attacked', seconds: 20_200, spoof: true });
    expect(await raisedFor('ter_attacked')).toEqual(['spoof_burst']);
    const quarantine = await store.readStream(riskTerminalStreamId('ter_attacked'));
    expect(quarantine.map((e) => [e.type, e.metadata.actor])).toEqual([['TerminalQuarantined', 'system:risk']]);
    expect(await new RiskStanding(store).terminal('ter_attacked')).toMatchObject({ status: 'restricted' });
    const row = await db.dataSource.getRepository(RiskAlertEntity).findOneByOrFail({ subjectId: 'ter_attacked' });
    expect(row).toMatchObject({ status: 'resolved', resolution: 'terminal_quarantined' });
  });

  it('spoofs spread beyond the window raise nothing', async () => {
    for (const seconds of [30_000, 30_301, 30_602]) await visit({ terminalId: 'ter_unlucky', seconds, spoof: true });
    expect(await raisedFor('ter_unlucky')).toEqual([]);
  });

  it('match scores just above the threshold', async () => {
    await visit({ terminalId: 'ter_m', seconds: 40_000, customerId: 'cus_lookalike', match: 0.51 });
    await visit({ terminalId: 'ter_m', seconds: 40_100, customerId: 'cus_clear', match: 0.53 });
    expect(await raisedFor('cus_lookalike')).toEqual(['borderline_match']);
    expect(await raisedFor('cus_clear')).toEqual([]);
  });

  it('a first payment at a new terminal above the amount', async () => {
    await visit({ terminalId: 'ter_home', seconds: 50_000, customerId: 'cus_trav', amountMinor: 1_000 });
    await visit({ terminalId: 'ter_home', seconds: 50_100, customerId: 'cus_trav', amountMinor: 5_500 });
    expect(await raisedFor('cus_trav')).toEqual([]);
    await visit({ terminalId: 'ter_abroad', seconds: 50_000 + 86_400, customerId: 'cus_trav', amountMinor: 5_001 });
    expect(await raisedFor('cus_trav')).toEqual(['new_terminal_amount']);
  });

  it('raises nothing twice when every event is delivered again', async () => {
    await settle();
    const before = await db.dataSource.getRepository(RiskAlertEntity).find({ order: { alertId: 'ASC' } });
    const head = await store.headPosition();
    await runner.stop();
    await rebuildProjection(store, db.dataSource, riskDetectorProjection);
    await rebuildProjection(store, db.dataSource, riskAlertsProjection);
    expect(await store.headPosition()).toBe(head);
    expect(await db.dataSource.getRepository(RiskAlertEntity).find({ order: { alertId: 'ASC' } })).toEqual(before);
    await runner.start();
  });

  it('acknowledges, locks a customer and refuses actions an alert does not support', async () => {
    const row = await db.dataSource.getRepository(RiskAlertEntity).findOneByOrFail({ subjectId: 'cus_lookalike' });
    const by = { correlationId: 'c', actor: 'analyst:analyst' };
    const when = new Date(T0 + 60_000_000);
    expect((await alerts.acknowledge({ alertId: row.alertId, by: 'analyst', at: when }, by)).status).toBe(
      'acknowledged',
    );
    expect((await alerts.lockCustomer({ alertId: row.alertId, by: 'analyst', at: when }, by)).status).toBe('resolved');
    await alerts.lockCustomer({ alertId: row.alertId, by: 'analyst', at: when }, by);
    expect((await store.readStream(riskAlertStreamId(row.alertId))).map((e) => e.type)).toEqual([
      'RiskAlertRaised',
      'RiskAlertAcknowledged',
      'RiskAlertCustomerLocked',
    ]);
    expect(await new RiskStanding(store).customer('cus_lookalike')).toMatchObject({
      status: 'restricted',
      alertId: row.alertId,
    });
    const terminalAlert = await db.dataSource.getRepository(RiskAlertEntity).findOneByOrFail({ subjectId: 'ter_busy' });
    await expect(
      alerts.lockCustomer({ alertId: terminalAlert.alertId, by: 'analyst', at: when }, by),
    ).rejects.toMatchObject({ code: 'alert_has_no_customer' });
    await expect(alerts.acknowledge({ alertId: randomUUID(), by: 'analyst', at: when }, by)).rejects.toMatchObject({
      code: 'alert_not_found',
    });
  });
});
