import { registerAs } from '@nestjs/config';
import { isAbsolute, resolve } from 'node:path';
import type { Role } from '@smilepay/shared/contracts';
import { type LogLevel, parseLogLevel, parseMetricsToken } from '@smilepay/shared/observability';

/** The api's validated configuration. Every value has a safe default for the embedded demo except secrets in prod. */
export interface ApiConfig {
  port: number;
  host: string;
  dataDir: string;
  /** kurrentdb://… selects KurrentDB; unset means the embedded SQLite event store under dataDir. */
  eventstoreUrl: string | undefined;
  /** postgres://… selects PostgreSQL for read models; unset means SQLite under dataDir. */
  databaseUrl: string | undefined;
  /** PostgreSQL schema holding the read models (created if missing); unset means the connection's default. */
  databaseSchema: string | undefined;
  redisUrl: string | undefined;
  /** Key id and shared secret the terminal gateway signs internal calls with (HMAC-SHA256). */
  internalApiKeyId: string;
  internalApiToken: string;
  /** Built dashboard to serve at `/` (the demo sets it); unset serves none. */
  dashboardDir: string | undefined;
  /** Largest accepted JSON body: anything bigger is refused before parsing. */
  maxBodyBytes: number;
  /** HMAC secret for dashboard bearer tokens; unset means a random per-process secret (single-instance demo). */
  tokenSecret: string | undefined;
  /** Dashboard users; unset means the demo users (one per role). */
  dashboardUsers: { username: string; password: string; role: Role }[] | undefined;
  /** pino level of the JSON logs on stdout (`silent` in tests). */
  logLevel: LogLevel;
  /** Bearer token /metrics requires; unset leaves it open (keep it on the internal network then). */
  metricsToken: string | undefined;
  /**
   * Whether this instance stands for leader election, and so may run the once-per-cluster workers (projections with
   * the risk detector and credit forwarder, the audit sealer). `off` serves requests and dashboards only, reading what
   * the leader commits to the shared read model.
   */
  consumers: 'on' | 'off';
}

export class ConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`invalid configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function url(env: Env, name: string, schemes: string[]): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const scheme = raw.split(':')[0];
  if (!schemes.includes(scheme)) throw new ConfigError(name, `must start with ${schemes.map((s) => s + '://').join(' or ')}`);
  return raw;
}

function identifier(env: Env, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(raw)) throw new ConfigError(name, 'must be a lower-case SQL identifier');
  return raw;
}

function secret(env: Env, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (raw.length < 32) throw new ConfigError(name, 'must be at least 32 characters');
  return raw;
}

function users(env: Env, name: string): ApiConfig['dashboardUsers'] {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError(name, 'must be JSON: [{"username":"…","password":"…","role":"analyst|auditor|admin"}]');
  }
  const roles = ['analyst', 'auditor', 'admin'];
  const valid = Array.isArray(parsed) && parsed.every((u) => typeof u?.username === 'string' && typeof u?.password === 'string' && roles.includes(u?.role));
  if (!valid) throw new ConfigError(name, 'must be a list of {username, password, role} with role analyst, auditor or admin');
  return parsed as ApiConfig['dashboardUsers'];
}

function logLevel(env: Env): LogLevel {
  const parsed = parseLogLevel(env['LOG_LEVEL']);
  if ('problem' in parsed) throw new ConfigError('LOG_LEVEL', parsed.problem.replace(/^LOG_LEVEL /, ''));
  return parsed.level;
}

function metricsToken(env: Env): string | undefined {
  const parsed = parseMetricsToken(env['METRICS_TOKEN']);
  if ('problem' in parsed) throw new ConfigError('METRICS_TOKEN', parsed.problem.replace(/^METRICS_TOKEN /, ''));
  return parsed.token;
}

function onOff(env: Env, name: string, fallback: 'on' | 'off'): 'on' | 'off' {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw !== 'on' && raw !== 'off') throw new ConfigError(name, 'must be on or off');
  return raw;
}

/** Parses and validates the environment; throws ConfigError naming the variable on the first bad value. */
export function parseApiConfig(env: Env, cwd = process.cwd()): ApiConfig {
  const dataDir = env['DATA_DIR'] || 'data';
  const token = env['INTERNAL_API_TOKEN'];
  if (token !== undefined && token.length < 32) throw new ConfigError('INTERNAL_API_TOKEN', 'must be at least 32 characters');
  return {
    port: integer(env, 'PORT', 3000, 1, 65535),
    host: env['HOST'] || '127.0.0.1',
    dataDir: isAbsolute(dataDir) ? dataDir : resolve(cwd, dataDir),
    eventstoreUrl: url(env, 'EVENTSTORE_URL', ['kurrentdb', 'esdb', 'kurrentdb+discover', 'esdb+discover']),
    databaseUrl: url(env, 'DATABASE_URL', ['postgres', 'postgresql']),
    databaseSchema: identifier(env, 'DATABASE_SCHEMA'),
    redisUrl: url(env, 'REDIS_URL', ['redis', 'rediss']),
    internalApiKeyId: env['INTERNAL_API_KEY_ID'] || 'gateway',
    internalApiToken: token ?? 'smilepay-demo-internal-token-not-for-production',
    dashboardDir: env['DASHBOARD_DIR'] ? resolve(cwd, env['DASHBOARD_DIR']) : undefined,
    maxBodyBytes: integer(env, 'API_MAX_BODY_BYTES', 256 * 1024, 1024, 16 * 1024 * 1024),
    tokenSecret: secret(env, 'AUTH_TOKEN_SECRET'),
    dashboardUsers: users(env, 'DASHBOARD_USERS'),
    logLevel: logLevel(env),
    metricsToken: metricsToken(env),
    consumers: onOff(env, 'API_CONSUMERS', 'on'),
  };
}

export const apiConfig = registerAs('api', () => parseApiConfig(process.env));
