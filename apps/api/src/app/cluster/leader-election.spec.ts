import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { TEST_POSTGRES_URL } from '../../testing/test-api';
import { advisoryLockKey, type LeadershipListener, PostgresAdvisoryLockElection, SingleInstanceElection } from './leader-election';

const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };
const RETRY_MS = 100;

/** Records what the election told this instance, with times, so tests can bound the failover. */
class Recorder implements LeadershipListener {
  readonly history: { what: 'elected' | 'deposed'; at: number; reason?: string }[] = [];
  running = false;
  async elected(): Promise<void> {
    if (this.running) throw new Error('elected twice without being deposed');
    this.running = true;
    this.history.push({ what: 'elected', at: Date.now() });
  }
  async deposed(reason: string): Promise<void> {
    this.running = false;
    this.history.push({ what: 'deposed', at: Date.now(), reason });
  }
}

async function until(what: string, condition: () => boolean, timeoutMs = 5_000): Promise<number> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return Date.now() - started;
}

describe('leader election', () => {
  let admin: Client;
  const elections: PostgresAdvisoryLockElection[] = [];
  const election = (clusterName: string) => {
    const created = new PostgresAdvisoryLockElection({
      databaseUrl: TEST_POSTGRES_URL,
      clusterName,
      retryIntervalMs: RETRY_MS,
      heartbeatIntervalMs: RETRY_MS,
      queryTimeoutMs: 2_000,
      logger: quiet,
    });
    elections.push(created);
    return created;
  };

  /** The backend pid holding a cluster's advisory lock, as PostgreSQL itself reports it. */
  async function holderPid(clusterName: string): Promise<number | undefined> {
    const key = advisoryLockKey(clusterName);
    const hi = Number(BigInt.asUintN(64, key) >> 32n);
    const lo = Number(BigInt.asUintN(64, key) & 0xffffffffn);
    const { rows } = await admin.query<{ pid: number }>(
      `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid::bigint = $1 AND objid::bigint = $2 AND objsubid = 1`,
      [hi, lo],
    );
    return rows[0]?.pid;
  }

  beforeAll(async () => {
    admin = new Client({ connectionString: TEST_POSTGRES_URL });
    await admin.connect();
  });

  afterEach(async () => {
    await Promise.all(elections.splice(0).map((e) => e.stop()));
  });

  afterAll(async () => {
    await admin.end();
  });

  it('elects exactly one of two instances of a cluster, and the lock is held by its session', async () => {
    const cluster = `c_${randomUUID()}`;
    const [a, b] = [new Recorder(), new Recorder()];
    await election(cluster).start(a);
    await election(cluster).start(b);
    await new Promise((r) => setTimeout(r, RETRY_MS * 3));
    expect([a.running, b.running]).toEqual([true, false]);
    expect(elections.map((e) => e.isLeader)).toEqual([true, false]);
    expect(await holderPid(cluster)).toEqual(expect.any(Number));
  });

  it('hands over within the retry interval when the leader stops, and releases the lock on stop', async () => {
    const cluster = `c_${randomUUID()}`;
    const [a, b] = [new Recorder(), new Recorder()];
    const [first, second] = [election(cluster), election(cluster)];
    await first.start(a);
    await second.start(b);
    const stoppedAt = Date.now();
    await first.stop();
    expect(a.history.map((h) => h.what)).toEqual(['elected', 'deposed']);
    await until('the follower to take over', () => b.running);
    expect(b.history[0].at - stoppedAt).toBeLessThan(RETRY_MS * 3 + 500);
    await second.stop();
    expect(await holderPid(cluster)).toBeUndefined();
  });

  it('deposes the leader at once when its connection is killed, and the follower takes over', async () => {
    const cluster = `c_${randomUUID()}`;
    const [a, b] = [new Recorder(), new Recorder()];
    await election(cluster).start(a);
    await election(cluster).start(b);
    const pid = await holderPid(cluster);
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    const deposedMs = await until('the leader to notice', () => !a.running);
    expect(deposedMs).toBeLessThan(RETRY_MS * 3 + 500);
    await until('someone to lead again', () => a.running || b.running);
    // Never two leaders at once: whoever leads now, the other is not running its workers.
    expect(a.running && b.running).toBe(false);
    expect(await holderPid(cluster)).not.toBe(pid);
    expect(a.history[1]).toMatchObject({ what: 'deposed', reason: expect.stringMatching(/connection|terminat/) });
  });

  it('a deposed leader sits out three attempts before campaigning again, even when a heartbeat was due', async () => {
    // Alone in its cluster, the deposed instance is the only candidate: when it leads again shows when it campaigned.
    for (let round = 0; round < 3; round++) {
      const cluster = `c_${randomUUID()}`;
      const recorder = new Recorder();
      await election(cluster).start(recorder);
      // Cut the session at a different point of the heartbeat cycle each round.
      await new Promise((r) => setTimeout(r, RETRY_MS * 2 + round * (RETRY_MS / 3)));
      await admin.query('SELECT pg_terminate_backend($1)', [await holderPid(cluster)]);
      await until('the leader to notice', () => !recorder.running);
      const deposedAt = recorder.history[1].at;
      await until('it to lead again', () => recorder.running);
      expect(recorder.history[2].at - deposedAt).toBeGreaterThanOrEqual(RETRY_MS * 3 - 20);
    }
  });

  it('elects one leader per cluster name: schemas sharing a database do not block each other', async () => {
    const [a, b] = [new Recorder(), new Recorder()];
    await election(`c_${randomUUID()}`).start(a);
    await election(`c_${randomUUID()}`).start(b);
    expect([a.running, b.running]).toEqual([true, true]);
  });

  it('keeps retrying, bounded, while PostgreSQL cannot be reached, without throwing', async () => {
    const unreachable = new PostgresAdvisoryLockElection({
      databaseUrl: 'postgres://root@127.0.0.1:1/test',
      clusterName: 'nowhere',
      retryIntervalMs: RETRY_MS,
      heartbeatIntervalMs: RETRY_MS,
      queryTimeoutMs: 500,
      logger: quiet,
    });
    elections.push(unreachable);
    const recorder = new Recorder();
    await unreachable.start(recorder);
    await new Promise((r) => setTimeout(r, RETRY_MS * 3));
    expect(recorder.running).toBe(false);
  });

  it('refuses intervals outside the limits', () => {
    const options = { databaseUrl: TEST_POSTGRES_URL, clusterName: 'x', heartbeatIntervalMs: 1_000, queryTimeoutMs: 1_000, logger: quiet };
    expect(() => new PostgresAdvisoryLockElection({ ...options, retryIntervalMs: 0 })).toThrow(/retryIntervalMs/);
    expect(() => new PostgresAdvisoryLockElection({ ...options, retryIntervalMs: 3_600_000 })).toThrow(/retryIntervalMs/);
  });

  it('makes a single embedded instance the leader from start to stop', async () => {
    const single = new SingleInstanceElection();
    const recorder = new Recorder();
    await single.start(recorder);
    expect(single.isLeader).toBe(true);
    await single.stop();
    expect(recorder.history.map((h) => h.what)).toEqual(['elected', 'deposed']);
  });
});
