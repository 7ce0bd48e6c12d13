import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CLAIM_EVENT_TYPES,
  claimDecider,
  claimStreamId,
  type ClaimCommand,
  type ClaimEvent,
} from '@smilepay/claims/domain';
import {
  CommandHandler,
  openSqliteEventStore,
  type EventCodec,
  type SqliteEventStore,
} from '@smilepay/shared/eventstore';
import {
  openTestReadModelDatabase,
  projectionEntities,
  projectionMigrations,
  rebuildProjection,
  ProjectionRunner,
  type TestReadModelDatabase,
} from '@smilepay/shared/projections';
import { ClaimEntity } from './claim.entity';
import { ClaimsQueries } from './claims-queries';
import { claimsProjection } from './claims.projection';
import { claimsReadModelEntities, claimsReadModelMigrations } from './claims-read-model';

const known = new Set<string>(CLAIM_EVENT_TYPES);
const codec: EventCodec<ClaimEvent> = {
  encode: (event) => ({ type: event.type, data: event.data }),
  decode: (record) => (known.has(record.type) ? ({ type: record.type, data: record.data } as ClaimEvent) : undefined),
};
const T0 = Date.parse('2025-06-01T12:00:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);
const metadata = { correlationId: 'c', causationId: 'c', actor: 'analyst:analyst', schemaVersion: 1 };
const TRANSFER = 'c7e1c1d2-0b1c-8d5e-8f90-0a1b2c3d4e5f';

describe.each(['sqlite', 'postgres'] as const)('the claims read model on %s', (dialect) => {
  let dir: string;
  let store: SqliteEventStore;
  let db: TestReadModelDatabase;
  let runner: ProjectionRunner;
  let claims: CommandHandler<ClaimCommand, ClaimEvent, ReturnType<typeof claimDecider.initialState>>;
  let queries: ClaimsQueries;

  const run = (claimId: string, command: ClaimCommand) => claims.handle(claimStreamId(claimId), command, metadata);
  const settle = async () => runner.waitFor(await store.headPosition(), { timeoutMs: 10_000 });
  const fileAndAssign = async (claimId: string, seconds: number) => {
    const paymentIds = [`pay_${claimId}`];
    await run(claimId, {
      type: 'FileLossClaim',
      claimId,
      customerId: 'cus_1',
      paymentIds,
      claimedMinor: 3000n,
      currency: 'EUR',
      reason: 'not me',
      filedBy: 'admin',
      claimableMinor: 5000n,
      at: at(seconds),
    });
    await run(claimId, { type: 'AssignClaim', analyst: 'analyst', at: at(seconds + 60) });
    const payments = paymentIds.map((paymentId) => ({
      paymentId,
      amountMinor: '5000',
      currency: 'EUR',
      status: 'captured' as const,
      merchantId: 'mer_1',
      terminalId: 'ter_1',
      occurredAt: at(seconds - 600).toISOString(),
      livenessVerdict: 'live' as const,
      livenessScores: [{ check: 'fused', score: 0.9 }],
      matchScore: 0.6,
      matchThreshold: 0.5,
      frameDigests: [],
    }));
    const evidence = {
      claimId,
      customerId: 'cus_1',
      assembledAt: at(seconds + 60).toISOString(),
      payments,
      recentActivity: [],
    };
    await run(claimId, { type: 'AttachEvidence', evidence, at: at(seconds + 61) });
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'smilepay-claims-rm-'));
    store = openSqliteEventStore(join(dir, 'events.sqlite'));
    db = await openTestReadModelDatabase(dialect, {
      entities: [...projectionEntities, ...claimsReadModelEntities],
      migrations: [...projectionMigrations, ...claimsReadModelMigrations],
    });
    const silent = { log: () => undefined, warn: () => undefined, error: () => undefined };
    runner = new ProjectionRunner({
      store,
      dataSource: db.dataSource,
      projections: [claimsProjection],
      logger: silent,
      pollIntervalMs: 10,
    });
    await runner.start();
    claims = new CommandHandler(store, claimDecider, codec);
    queries = new ClaimsQueries(db.dataSource);
  });
  afterAll(async () => {
    await runner.stop();
    await store.close();
    await db.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('follows a claim from filing to reimbursement, with its SLA age frozen at the decision', async () => {
    await fileAndAssign('clm_a', 0);
    await settle();
    expect(await queries.get('clm_a', at(3_600))).toEqual({
      claimId: 'clm_a',
      customerId: 'cus_1',
      paymentIds: ['pay_clm_a'],
      claimedMinor: '3000',
      currency: 'EUR',
      reason: 'not me',
      status: 'assigned',
      assignee: 'analyst',
      filedAt: at(0).toISOString(),
      slaAgeSeconds: 3_600,
    });
    await run('clm_a', {
      type: 'ApproveClaim',
      amountMinor: 2500n,
      approvedBy: 'analyst',
      transferId: TRANSFER,
      at: at(7_200),
    });
    await run('clm_a', {
      type: 'RecordReimbursement',
      transferId: TRANSFER,
      reserveAccountId: 'acc_reserve',
      walletAccountId: 'acc_wallet',
      at: at(7_201),
    });
    await settle();
    const row = await db.dataSource.getRepository(ClaimEntity).findOneByOrFail({ claimId: 'clm_a' });
    expect(row).toMatchObject({
      status: 'reimbursed',
      approvedMinor: 2500n,
      evidenceAttached: true,
      faceLocked: false,
    });
    expect((await queries.get('clm_a', at(999_999)))?.slaAgeSeconds).toBe(7_200);
    expect(await queries.awaitingSettlement(10)).toEqual(['clm_a']);
    await run('clm_a', { type: 'RecordFacePaymentLock', at: at(7_202) });
    await settle();
    expect(await queries.awaitingSettlement(10)).toEqual([]);
  });

  it('lists newest first with rejections, and lists approvals still owed money as awaiting settlement', async () => {
    await fileAndAssign('clm_b', 100);
    await run('clm_b', { type: 'RejectClaim', reason: 'paid in person', rejectedBy: 'analyst', at: at(200) });
    await fileAndAssign('clm_c', 300);
    await run('clm_c', {
      type: 'ApproveClaim',
      amountMinor: 100n,
      approvedBy: 'analyst',
      transferId: TRANSFER,
      at: at(400),
    });
    await settle();
    const listed = await queries.list(at(10_000));
    expect(listed.map((c) => [c.claimId, c.status])).toEqual([
      ['clm_c', 'approved'],
      ['clm_b', 'rejected'],
      ['clm_a', 'reimbursed'],
    ]);
    expect(listed[1].slaAgeSeconds).toBe(100);
    expect(await queries.awaitingSettlement(10)).toEqual(['clm_c']);
    expect((await queries.views(['clm_b', 'clm_x'], at(0))).map((c) => c.claimId)).toEqual(['clm_b']);
  });

  it('rebuilds from position 0 to the same rows', async () => {
    await settle();
    const before = await db.dataSource.getRepository(ClaimEntity).find({ order: { claimId: 'ASC' } });
    await runner.stop();
    await rebuildProjection(store, db.dataSource, claimsProjection);
    expect(await db.dataSource.getRepository(ClaimEntity).find({ order: { claimId: 'ASC' } })).toEqual(before);
    await runner.start();
  });
});
