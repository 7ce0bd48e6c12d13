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

// CLUSTER_LOG=info shows both instances' election logs when this spec needs diagnosing.
const FAST_ELECTION = { LEADER_RETRY_INTERVAL_MS: '100', LEADER_HEARTBEAT_INTERVAL_MS: '100', LOG_LEVEL: process.env['CLUSTER_LOG'] ?? 'silent' };

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

  /** The pid of the session holding the cluster's advisory lock (the leader's election connection). */
  async function lockHolderPid(): Promise<number> {
    const key = BigInt.asUintN(64, advisoryLockKey(a.env['DATABASE_SCHEMA']));
    const { rows } = await admin.query<{ pid: number }>(
      `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid::bigint = $1 AND objid::bigint = $2 AND objsubid = 1`,
      [Number(key >> 32n), Number(key & 0xffffffffn)],
    );
    expect(rows).toHaveLength(1);
    return rows[0].pid;
  }

  /** Ten payments through `api` while `during` runs, so a batch is in flight when leadership changes. */
  async function paymentsDuring(api: TestApi, terminalId: string, phone: string, during: () => Promise<void>): Promise<void> {
    const flow = await PaymentFlow.open(api);
    await flow.registerTerminal(terminalId);
    const customer = await flow.enrolledCustomer(phone, 50_000n);
    const paying = (async () => {
      for (let i = 0; i < 10; i++) await flow.pay(terminalId, customer, 200n + BigInt(i));
    })();
    await new Promise((r) => setTimeout(r, 50));
    try {
      await during();
    } finally {
      await paying;
    }
  }

  /** After a change of leader: the workers run on the leader only, and its read model equals a rebuild. */
  async function expectOnlyLeaderRunsWorkers(leader: TestApi, other: TestApi): Promise<void> {
    // The new leader starts its workers one after the other, projections first.
    await until('the leader to start its sweepers', () => sweepers(leader).every(Boolean));
    expect(sweepers(other)).toEqual([false, false]);
    // The other instance's projections are stopped (or never ran, if it never led).
    expect(other.app.get(ProjectionsService).runner.status().filter((s) => s.state !== 'stopped')).toEqual([]);
    await assertAppliedOnce(leader);
  }

  const leaderAndFollower = (): [TestApi, TestApi] => (cluster(a).isLeader ? [a, b] : [b, a]);

  it('a leader cut off from PostgreSQL stops its workers at once; the cluster has one leader again, applying nothing twice', async () => {
    // Both instances stay alive, so either may win the lock next: the deposed one sits out a few attempts, which
    // makes the follower the likely winner, but a live instance racing for a free lock is not a fault.
    await paymentsDuring(a, 'ter_cluster_2', '+8613800138002', async () => {
      const cutAt = Date.now();
      await admin.query('SELECT pg_terminate_backend($1)', [await lockHolderPid()]);
      await until('the old leader to stop its workers', () => !cluster(a).isLeader);
      await until('one instance to lead again', () => cluster(a).isLeader || cluster(b).isLeader);
      process.stdout.write(`lock session cut: ${cluster(b).isLeader ? 'follower' : 'old leader'} elected ${Date.now() - cutAt} ms later\n`);
    });
    const [leader, follower] = leaderAndFollower();
    expect([cluster(leader).isLeader, cluster(follower).isLeader]).toEqual([true, false]);
    await expectOnlyLeaderRunsWorkers(leader, follower);
  });

  it('fails over within the retry bound when the leader dies, applying nothing twice', async () => {
    const [dying, survivor] = leaderAndFollower();
    await paymentsDuring(survivor, 'ter_cluster_3', '+8613800138003', async () => {
      // In process, "dies" is: its lock session ends and it never campaigns again (a real kill -9 of a separate
      // process is the failover drill in tools/drills).
      const cutAt = Date.now();
      await admin.query('SELECT pg_terminate_backend($1)', [await lockHolderPid()]);
      await cluster(dying).election.stop();
      const takeoverMs = await until('the other instance to lead', () => cluster(survivor).isLeader);
      process.stdout.write(`failover: leader died, the other instance elected ${Date.now() - cutAt} ms after its lock session ended\n`);
      expect(takeoverMs).toBeLessThan(2_000);
    });
    await expectOnlyLeaderRunsWorkers(survivor, dying);
  });

  it('a stale leader still running its projectors next to the new one applies nothing twice (CAS checkpoints)', async () => {
    // The worst case a lost lock allows: the deposed instance has not noticed yet and keeps projecting.
    const [leader, deposed] = leaderAndFollower();
    const stale = deposed.app.get(ProjectionsService).runner;
    await stale.start();
    try {
      const flow = await PaymentFlow.open(leader);
      await flow.registerTerminal('ter_cluster_4');
      const customer = await flow.enrolledCustomer('+8613800138004', 50_000n);
      for (let i = 0; i < 10; i++) await flow.pay('ter_cluster_4', customer, 300n + BigInt(i));
      await stale.waitFor(await leader.store.headPosition(), { timeoutMs: 10_000 });
    } finally {
      await stale.stop();
    }
    await assertAppliedOnce(leader);
  });
});
