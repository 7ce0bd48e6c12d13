import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { type ApiConfig, ConfigError } from '../config/api-config';
import { ELECTION_LIMITS, type LeaderElection, PostgresAdvisoryLockElection, SingleInstanceElection } from './leader-election';

/** A background worker that must run once per cluster: started on election, stopped the moment leadership ends. */
export interface SingletonWorker {
  readonly name: string;
  start(): Promise<void> | void;
  stop(): Promise<void>;
}

export interface ClusterSettings {
  retryIntervalMs: number;
  heartbeatIntervalMs: number;
  queryTimeoutMs: number;
}

type Env = Record<string, string | undefined>;

function milliseconds(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < ELECTION_LIMITS.minIntervalMs || value > ELECTION_LIMITS.maxIntervalMs) {
    throw new ConfigError(name, `must be a whole number of ms from ${ELECTION_LIMITS.minIntervalMs} to ${ELECTION_LIMITS.maxIntervalMs}, got "${raw}"`);
  }
  return value;
}

/** LEADER_RETRY_INTERVAL_MS (default 1000) bounds failover; the heartbeat bounds how long a cut-off leader runs on. */
export function parseClusterSettings(env: Env): ClusterSettings {
  return {
    retryIntervalMs: milliseconds(env, 'LEADER_RETRY_INTERVAL_MS', 1_000),
    heartbeatIntervalMs: milliseconds(env, 'LEADER_HEARTBEAT_INTERVAL_MS', 1_000),
    queryTimeoutMs: milliseconds(env, 'LEADER_QUERY_TIMEOUT_MS', 3_000),
  };
}

/**
 * Runs the singleton workers (projections with the risk detector, the audit sealer) only while this instance leads.
 * On PostgreSQL the leader holds an advisory lock; on the embedded SQLite default a single instance is the leader.
 * Workers register in onModuleInit; the first election attempt happens in onApplicationBootstrap and is awaited, so
 * a lone instance serves requests with its projections already running, as before.
 */
@Injectable()
export class ClusterService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Cluster');
  readonly election: LeaderElection;
  private readonly workers: SingletonWorker[] = [];
  private readonly running: SingletonWorker[] = [];
  private bootstrapped = false;

  /** API_CONSUMERS=off: this instance never stands for election (it serves requests and dashboards only). */
  private readonly standsForElection: boolean;

  constructor(config: ConfigService) {
    const { databaseUrl, databaseSchema, consumers } = config.getOrThrow<ApiConfig>('api');
    this.standsForElection = consumers === 'on';
    const settings = parseClusterSettings(process.env);
    this.election =
      databaseUrl === undefined
        ? new SingleInstanceElection()
        : new PostgresAdvisoryLockElection({ databaseUrl, clusterName: databaseSchema ?? 'public', ...settings, logger: this.logger });
  }

  get isLeader(): boolean {
    return this.election.isLeader;
  }

  register(worker: SingletonWorker): void {
    if (this.bootstrapped) throw new Error(`singleton worker ${worker.name} registered after bootstrap`);
    this.workers.push(worker);
  }

  async onApplicationBootstrap(): Promise<void> {
    this.bootstrapped = true;
    if (!this.standsForElection) {
      this.logger.log('API_CONSUMERS=off: follower only, never leader (projections, risk detector and audit sealer run elsewhere)');
      return;
    }
    await this.election.start({ elected: () => this.startWorkers(), deposed: (reason) => this.stopWorkers(reason) });
    this.logger.log(`${this.election.kind}: ${this.isLeader ? 'leader' : 'follower'} (${this.workers.map((w) => w.name).join(', ')})`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.election.stop();
  }

  private async startWorkers(): Promise<void> {
    for (const worker of this.workers) {
      try {
        await worker.start();
        this.running.push(worker);
        // The lock may be lost while workers start; the deposition found fewer running, so finish its job here.
        if (!this.election.isLeader) return await this.stopWorkers('leadership lost while starting');
      } catch (error) {
        await this.stopWorkers(`${worker.name} failed to start`);
        throw error;
      }
    }
  }

  /** Stops every running worker at once; a failing stop is logged and does not keep the others running. */
  private async stopWorkers(reason: string): Promise<void> {
    const stopping = this.running.splice(0);
    if (stopping.length > 0) this.logger.warn(`stopping singleton workers (${reason})`);
    const results = await Promise.allSettled(stopping.map((worker) => worker.stop()));
    results.forEach((result, i) => {
      if (result.status === 'rejected') this.logger.error(`singleton worker ${stopping[i].name} failed to stop: ${String(result.reason)}`);
    });
  }
}
