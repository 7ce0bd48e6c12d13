// Two real api instances in one cluster: read models in one PostgreSQL schema, one embedded event store file (two
// SQLite connections, as two processes would have). The kill -9 version with child processes is tools/drills.
import { Client } from 'pg';
import { PaymentFlow } from '../payments/payment-flow.fixture';
import { ProjectionsService } from '../infrastructure/projections.service';
import { READ_MODELS } from '../infrastructure/tokens';
import { startTestApi, TEST_POSTGRES_URL, type TestApi } from '../../testing/test-api';
import { describeRebuild, diffWithRebuild } from '../../testing/rebuild-check';
import { ClaimsSettlementRunner } from '../claims/claims-settlement.runner';
import { RetentionService } from '../customers/retention.service';
import { ClusterService } from './cluster.service';
import { advisoryLockKey } from './leader-election';

jest.setTimeout(60_000);

const FAST_ELECTION = { LEADER_RETRY_INTERVAL_MS: '100', LEADER_HEARTBEAT_INTERVAL_MS: '100' };

async function until(what: string, condition: () => boolean, timeoutMs = 5_000): Promise<number> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return Date.now() - started;
}

describe('two api instances on PostgreSQL', () => {
  let a: TestApi;
  let b: TestApi;
  let admin: Client;
  const cluster = (api: TestApi) => api.app.get(ClusterService);
  const readModels = (api: TestApi) => api.app.get(READ_MODELS);
  /** The once-per-cluster jobs besides the projections: claims settlement sweeper and biometric retention purge. */
  const sweepers = (api: TestApi) => [api.app.get(ClaimsSettlementRunner).sweeper.started, api.app.get(RetentionService).scheduled];

  beforeAll(async () => {
    a = await startTestApi({ readModels: 'postgres', env: FAST_ELECTION });
    b = await startTestApi({ join: a });
    admin = new Client({ connectionString: TEST_POSTGRES_URL });
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.end();
    await b?.close();
    await a?.close();
  });

  /** A batch applied twice would double ledger counters and duplicate rows: the rebuild would differ. */
  async function assertAppliedOnce(api: TestApi): Promise<void> {
    await api.settle();
    const report = await diffWithRebuild(api.store, readModels(api), TEST_POSTGRES_URL);
    expect({ ok: report.ok, differences: report.differences.slice(0, 5) }).toEqual({ ok: true, differences: [] });
    process.stdout.write(`read model vs rebuild: ${describeRebuild(report)}\n`);
  }

  it('elects one leader; the follower runs no projections but still reads its own writes', async () => {
    expect([cluster(a).isLeader, cluster(b).isLeader]).toEqual([true, false]);
    expect(b.app.get(ProjectionsService).runner.status()).toEqual([]);
    expect({ leader: sweepers(a), follower: sweepers(b) }).toEqual({ leader: [true, true], follower: [false, false] });
    // PaymentFlow waits for the phone index through b, a follower: it polls the leader's committed checkpoints.
    const flow = await PaymentFlow.open(b);
    await flow.registerTerminal('ter_cluster_1');
    const customer = await flow.enrolledCustomer('+8613800138001', 50_000n);
    for (let i = 0; i < 3; i++) await flow.pay('ter_cluster_1', customer, 100n + BigInt(i));
    await b.settle();
    await assertAppliedOnce(a);
  });

  it('fails over within the retry bound when the leader loses its lock session, applying nothing twice', async () => {
    const flow = await PaymentFlow.open(a);
    await flow.registerTerminal('ter_cluster_2');
    const customer = await flow.enrolledCustomer('+8613800138002', 50_000n);
    // Payments keep arriving while the leader's lock connection is cut, as when its network or PostgreSQL drops it.
    const paying = (async () => {
      for (let i = 0; i < 10; i++) await flow.pay('ter_cluster_2', customer, 200n + BigInt(i));
    })();
    await new Promise((r) => setTimeout(r, 50));
    const { rows } = await admin.query<{ pid: number }>(
      `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objid::bigint = $1`,
      [Number(BigInt.asUintN(64, advisoryLockKey(a.env['DATABASE_SCHEMA'])) & 0xffffffffn)],
    );
    const cutAt = Date.now();
    await admin.query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
    await until('the old leader to stop its workers', () => !cluster(a).isLeader);
    const takeoverMs = await until('the other instance to lead', () => cluster(b).isLeader);
    process.stdout.write(`failover: leader deposed and follower elected ${Date.now() - cutAt} ms after the lock session died\n`);
    expect(takeoverMs).toBeLessThan(2_000);
    // The new leader starts its workers one after the other, projections first.
    await until('the new leader to start its sweepers', () => sweepers(b).every(Boolean));
    expect(sweepers(a)).toEqual([false, false]);
    await paying;
    const states = a.app.get(ProjectionsService).runner.status().map((s) => s.state);
    expect(new Set(states)).toEqual(new Set(['stopped']));
    await assertAppliedOnce(b);
  });

  it('a stale leader still running its projectors next to the new one applies nothing twice (CAS checkpoints)', async () => {
    // The worst case a lost lock allows: the deposed instance has not noticed yet and keeps projecting.
    const stale = a.app.get(ProjectionsService).runner;
    await stale.start();
    try {
      const flow = await PaymentFlow.open(b);
      await flow.registerTerminal('ter_cluster_3');
      const customer = await flow.enrolledCustomer('+8613800138003', 50_000n);
      for (let i = 0; i < 10; i++) await flow.pay('ter_cluster_3', customer, 300n + BigInt(i));
      await stale.waitFor(await b.store.headPosition(), { timeoutMs: 10_000 });
    } finally {
      await stale.stop();
    }
    await assertAppliedOnce(b);
  });
});
