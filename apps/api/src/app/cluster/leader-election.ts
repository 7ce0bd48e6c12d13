import { createHash } from 'node:crypto';
import { Client } from 'pg';

/** Lock attempts a deposed leader lets pass before campaigning again. */
const DEPOSED_SIT_OUT_ATTEMPTS = 3;

/**
 * Who runs the once-per-cluster workers (projections, the risk detector, the audit sealer). The election calls
 * `elected` when this instance becomes the leader and `deposed` the moment it stops being one; it never calls
 * `elected` twice without a `deposed` in between.
 */
export interface LeadershipListener {
  elected(): Promise<void>;
  deposed(reason: string): Promise<void>;
}

export interface LeaderElection {
  readonly kind: 'single-instance' | 'postgres-advisory-lock';
  readonly isLeader: boolean;
  /** Makes the first attempt (awaited, so a lone instance boots as the leader) and keeps campaigning after it. */
  start(listener: LeadershipListener): Promise<void>;
  /** Stops campaigning, deposes this instance (its workers stop) and releases the lock. */
  stop(): Promise<void>;
}

export interface ElectionLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** The embedded SQLite default: one process owns the data dir, so it is the leader from start to stop. */
export class SingleInstanceElection implements LeaderElection {
  readonly kind = 'single-instance';
  isLeader = false;
  private listener: LeadershipListener | undefined;

  async start(listener: LeadershipListener): Promise<void> {
    this.listener = listener;
    this.isLeader = true;
    await listener.elected();
  }

  async stop(): Promise<void> {
    if (!this.isLeader) return;
    this.isLeader = false;
    await this.listener?.deposed('stopping');
  }
}

export interface PostgresElectionOptions {
  databaseUrl: string;
  /** Names the cluster: instances sharing a database but not a schema elect separate leaders. */
  clusterName: string;
  /** How often a follower retries the lock, and how soon after losing it the instance tries again. */
  retryIntervalMs: number;
  /** How often the leader checks that its session (and so its lock) is still alive. */
  heartbeatIntervalMs: number;
  /** A lock attempt or heartbeat slower than this counts as a lost connection. */
  queryTimeoutMs: number;
  logger: ElectionLogger;
}

export const ELECTION_LIMITS = { minIntervalMs: 50, maxIntervalMs: 60_000 };

/** The 64-bit advisory lock key of a cluster: the first 8 bytes of SHA-256 of its name, as a signed bigint. */
export function advisoryLockKey(clusterName: string): bigint {
  const digest = createHash('sha256').update(`smilepay:singletons:${clusterName}`).digest();
  return digest.readBigInt64BE(0);
}

class ElectionTimeout extends Error {}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ElectionTimeout(`${what} took more than ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function bounded(name: string, value: number): number {
  if (!Number.isInteger(value) || value < ELECTION_LIMITS.minIntervalMs || value > ELECTION_LIMITS.maxIntervalMs) {
    throw new RangeError(`${name} must be a whole number of ms from ${ELECTION_LIMITS.minIntervalMs} to ${ELECTION_LIMITS.maxIntervalMs}`);
  }
  return value;
}

/**
 * Leader election through a PostgreSQL session advisory lock held on a dedicated connection. The lock lives exactly
 * as long as that session: when the leader dies (even kill -9) the server ends the session and frees the lock, and a
 * follower takes it at its next attempt, so failover takes at most `retryIntervalMs` plus the new leader's start.
 * When the leader's own connection breaks or a heartbeat fails, it deposes itself at once, before reconnecting: it
 * can no longer know that it holds the lock. A deposed leader's batch already in flight is harmless, because every
 * projection batch commits with a compare-and-set on its checkpoint (see docs/ARCHITECTURE.md, "Projections").
 */
export class PostgresAdvisoryLockElection implements LeaderElection {
  readonly kind = 'postgres-advisory-lock';
  readonly lockKey: bigint;
  private leader = false;
  private client: Client | undefined;
  private listener: LeadershipListener | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;
  // Every attempt, heartbeat and loss runs on this chain, so the election never does two things at once.
  private chain: Promise<void> = Promise.resolve();
  private readonly retryIntervalMs: number;
  /** After losing the lock this instance sits out a few attempts, so a healthy follower takes over instead. */
  private campaignAfterMs = 0;
  private readonly heartbeatIntervalMs: number;
  private readonly queryTimeoutMs: number;

  constructor(private readonly options: PostgresElectionOptions) {
    this.lockKey = advisoryLockKey(options.clusterName);
    this.retryIntervalMs = bounded('retryIntervalMs', options.retryIntervalMs);
    this.heartbeatIntervalMs = bounded('heartbeatIntervalMs', options.heartbeatIntervalMs);
    this.queryTimeoutMs = bounded('queryTimeoutMs', options.queryTimeoutMs);
  }

  get isLeader(): boolean {
    return this.leader;
  }

  async start(listener: LeadershipListener): Promise<void> {
    if (!this.stopped) throw new Error('leader election already started');
    this.stopped = false;
    this.listener = listener;
    await this.enqueue(() => this.tick());
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.timer);
    await this.enqueue(async () => {
      await this.depose('stopping');
      await this.closeClient(true);
    });
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    const next = this.chain.then(step, step);
    this.chain = next.catch(() => undefined);
    return next;
  }

  private schedule(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    const retryMs = Math.max(this.retryIntervalMs, this.campaignAfterMs - Date.now());
    const delayMs = this.leader ? this.heartbeatIntervalMs : retryMs;
    this.timer = setTimeout(() => void this.enqueue(() => this.tick()), delayMs);
  }

  /** One attempt (as a follower) or one heartbeat (as the leader); failures depose and drop the connection. */
  private async tick(): Promise<void> {
    if (this.stopped) return;
    // A heartbeat timer set while leading can fire after the deposition; it must not become an early lock attempt
    // (CI caught the deposed leader winning its lock back 155 ms after losing it, inside its sit-out).
    if (!this.leader && Date.now() < this.campaignAfterMs) return this.schedule();
    try {
      const client = await this.connection();
      if (this.leader) {
        await withTimeout(client.query('SELECT 1'), this.queryTimeoutMs, 'leader heartbeat');
      } else {
        const { rows } = await withTimeout(
          client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS locked', [this.lockKey.toString()]),
          this.queryTimeoutMs,
          'lock attempt',
        );
        if (rows[0]?.locked === true && !this.stopped) await this.elect();
      }
    } catch (error) {
      await this.connectionLost(error instanceof Error ? error.message : String(error));
    } finally {
      this.schedule();
    }
  }

  private async connection(): Promise<Client> {
    if (this.client !== undefined) return this.client;
    const client = new Client({
      connectionString: this.options.databaseUrl,
      application_name: 'smilepay-leader-election',
      keepAlive: true,
      connectionTimeoutMillis: this.queryTimeoutMs,
    });
    // Without listeners an 'error' from a dropped socket would crash the process; with them, the lock holder learns
    // at once that its session (and so its lock) is gone.
    client.on('error', (error) => this.onClientGone(client, `connection error: ${error.message}`));
    client.on('end', () => this.onClientGone(client, 'connection ended'));
    this.client = client;
    await client.connect();
    return client;
  }

  private onClientGone(client: Client, reason: string): void {
    if (client !== this.client || this.stopped) return;
    if (this.leader) this.options.logger.error(`lost the leader lock (${reason}); stopping singleton workers`);
    // Deposing skips the queue on purpose: a lost lock must stop the workers now, not after a pending heartbeat.
    void this.depose(reason);
    void this.enqueue(() => this.connectionLost(reason));
  }

  private async connectionLost(reason: string): Promise<void> {
    if (this.leader) this.options.logger.error(`lost the leader lock (${reason}); stopping singleton workers`);
    else this.options.logger.warn(`leader election: ${reason}; retrying in ${this.retryIntervalMs} ms`);
    await this.depose(reason);
    await this.closeClient(false);
  }

  private async elect(): Promise<void> {
    this.leader = true;
    this.options.logger.log(`elected leader (advisory lock ${this.lockKey} of cluster ${this.options.clusterName})`);
    try {
      await this.listener?.elected();
    } catch (error) {
      // Holding the lock without running the workers would stall the whole cluster: give it back.
      this.options.logger.error(`singleton workers failed to start: ${error instanceof Error ? error.message : String(error)}`);
      await this.depose('workers failed to start');
      await this.closeClient(true);
    }
  }

  private async depose(reason: string): Promise<void> {
    if (!this.leader) return;
    this.leader = false;
    // A leader whose session just broke is the likeliest to break again; racing the followers for the lock at the
    // same interval would let it win back half the time and flap.
    if (reason !== 'stopping') this.campaignAfterMs = Date.now() + DEPOSED_SIT_OUT_ATTEMPTS * this.retryIntervalMs;
    await this.listener?.deposed(reason);
  }

  /** Ends the session; `unlock` first releases the lock politely, though ending the session frees it anyway. */
  private async closeClient(unlock: boolean): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client === undefined) return;
    try {
      if (unlock) await withTimeout(client.query('SELECT pg_advisory_unlock_all()'), this.queryTimeoutMs, 'unlock');
    } catch {
      // The session is ending either way, and ending it frees the lock.
    }
    await withTimeout(client.end(), this.queryTimeoutMs, 'disconnect').catch(() => undefined);
  }
}
