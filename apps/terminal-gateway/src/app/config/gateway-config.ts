import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { nonceTtlMs, signatureWindowMs } from '@smilepay/checkout/contracts';
import { type LogLevel, parseLogLevel, parseMetricsToken } from '@smilepay/shared/observability';
import { Secret } from '@smilepay/shared/request-signing';
import { minSecretBytes, parseTerminalKeys, TerminalKey } from './terminal-keys';

export interface SessionLimitsConfig {
  maxFrameBytes: number;
  maxFramesPerSession: number;
  maxFps: number;
  /** Frames the rate limiter lets through back to back before it enforces maxFps. */
  frameBurst: number;
  sessionDurationMs: number;
  maxQueuedFrames: number;
  phoneTimeoutMs: number;
  maxConcurrentSessions: number;
  maxBadFrames: number;
  /** Decoder limit per side: a small JPEG can declare a huge canvas, so the header is checked before decoding. */
  maxFrameSidePx: number;
  /** Frames analysed at once across all sessions (each analysis keeps one core busy). */
  maxAnalysesInFlight: number;
  /** Analyses waiting for a slot across all sessions; beyond this a frame is refused as a flood. */
  maxAnalysesWaiting: number;
}

export interface GatewayConfig {
  host: string;
  port: number;
  /** Largest HTTP body (the whole multi-frame checkout request). */
  maxHttpBodyBytes: number;
  /** socket.io / engine.io message cap: a frame message bigger than this closes the connection (ws code 1009). */
  maxSocketMessageBytes: number;
  limits: SessionLimitsConfig;
  /** `redisUrl`: where nonces are shared with every other gateway instance; unset keeps them in this process. */
  auth: { keys: TerminalKey[]; windowMs: number; nonceTtlMs: number; nonceMaxEntries: number; redisUrl: string | undefined };
  api: { url: string; keyId: string; token: Secret; timeoutMs: number; maxAttempts: number; retryBaseDelayMs: number };
  /** Where the face models live; undefined lets the biometrics library find <repo>/.cache/models and the manifest. */
  models: { modelDir: string | undefined; manifestPath: string | undefined; intraOpThreads: number };
  /**
   * Analysis threads (one per core makes onnxruntime use every core); 0 analyses on the main thread, which is what
   * tests running the TypeScript sources use, because a worker thread needs the built analysis-worker.js bundle.
   */
  analysis: { workers: number; workerScript: string };
  phone: { digits: number; fullNumberDigits: number; fullNumberFromMinor: bigint | null };
  /** Overrides of the biometrics library's liveness thresholds (JSON), validated by that library at boot. */
  livenessThresholdsJson: string | null;
  logLevel: LogLevel;
  /** Bearer token /metrics requires; undefined leaves it open (keep it on the internal network then). */
  metricsToken: string | undefined;
}

export type Env = Record<string, string | undefined>;

export class GatewayConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`terminal-gateway configuration is invalid:\n  - ${problems.join('\n  - ')}`);
    this.name = 'GatewayConfigError';
  }
}

/** Reads one integer setting, recording a problem (not throwing) so every bad value is reported at once. */
function intReader(env: Env, problems: string[]) {
  return (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer in [${min}, ${max}], got "${raw}"`);
      return fallback;
    }
    return value;
  };
}

function readTerminalKeys(env: Env, problems: string[]): TerminalKey[] {
  const file = env['TERMINAL_KEYS_FILE'];
  const inline = env['TERMINAL_KEYS'];
  if (!file && !inline) {
    problems.push('TERMINAL_KEYS (JSON array) or TERMINAL_KEYS_FILE (path to one) is required');
    return [];
  }
  let json = inline ?? '';
  let source = 'TERMINAL_KEYS';
  if (file) {
    source = `TERMINAL_KEYS_FILE ${file}`;
    try {
      json = readFileSync(file, 'utf8');
    } catch (error) {
      problems.push(`${source}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
      return [];
    }
  }
  const parsed = parseTerminalKeys(json, source);
  problems.push(...parsed.problems);
  return parsed.keys;
}

function readApi(env: Env, problems: string[], int: ReturnType<typeof intReader>): GatewayConfig['api'] {
  const url = env['API_URL'] ?? '';
  if (!/^https?:\/\/[^/]+/.test(url)) problems.push('API_URL must be an http(s) URL, e.g. http://127.0.0.1:3000');
  const token = env['INTERNAL_API_TOKEN'] ?? '';
  if (Buffer.byteLength(token) < minSecretBytes) problems.push(`INTERNAL_API_TOKEN must be at least ${minSecretBytes} bytes`);
  return {
    url: url.replace(/\/+$/, ''),
    keyId: env['INTERNAL_API_KEY_ID'] || 'gateway',
    token: new Secret(token),
    timeoutMs: int('API_TIMEOUT_MS', 2_000, 50, 60_000),
    maxAttempts: int('API_MAX_ATTEMPTS', 3, 1, 10),
    retryBaseDelayMs: int('API_RETRY_BASE_DELAY_MS', 100, 0, 10_000),
  };
}

function readLimits(int: ReturnType<typeof intReader>): SessionLimitsConfig {
  return {
    maxFrameBytes: int('MAX_FRAME_BYTES', 2 * 1024 * 1024, 1024, 32 * 1024 * 1024),
    maxFramesPerSession: int('MAX_FRAMES_PER_SESSION', 60, 1, 1_000),
    maxFps: int('MAX_FPS', 30, 1, 240),
    frameBurst: int('FRAME_BURST', 8, 1, 240),
    sessionDurationMs: int('SESSION_DURATION_MS', 10_000, 500, 120_000),
    maxQueuedFrames: int('MAX_QUEUED_FRAMES', 4, 1, 64),
    phoneTimeoutMs: int('PHONE_TIMEOUT_MS', 20_000, 500, 300_000),
    maxConcurrentSessions: int('MAX_CONCURRENT_SESSIONS', 64, 1, 100_000),
    maxBadFrames: int('MAX_BAD_FRAMES', 10, 1, 1_000),
    maxFrameSidePx: int('MAX_FRAME_SIDE_PX', 1920, 64, 8192),
    maxAnalysesInFlight: int('MAX_ANALYSES_IN_FLIGHT', 2, 1, 64),
    maxAnalysesWaiting: int('MAX_ANALYSES_WAITING', 256, 1, 100_000),
  };
}

/** Validates the whole configuration at boot; a bad value stops startup with every problem listed. */
export function loadGatewayConfig(env: Env, cwd = process.cwd()): GatewayConfig {
  const problems: string[] = [];
  const int = intReader(env, problems);
  const limits = readLimits(int);
  const maxHttpBodyBytes = int('MAX_HTTP_BODY_BYTES', 24 * 1024 * 1024, 64 * 1024, 512 * 1024 * 1024);
  const fullFrom = env['PHONE_FULL_NUMBER_FROM_MINOR'];
  if (fullFrom !== undefined && fullFrom !== '' && !/^[1-9][0-9]{0,17}$/.test(fullFrom)) {
    problems.push('PHONE_FULL_NUMBER_FROM_MINOR must be a positive decimal string of minor units');
  }
  const config: GatewayConfig = {
    host: env['HOST'] || '0.0.0.0',
    port: int('PORT', 3100, 0, 65_535),
    maxHttpBodyBytes,
    // Room for RGB + depth at the frame limit plus socket.io framing; anything larger is cut by the transport.
    maxSocketMessageBytes: int('MAX_SOCKET_MESSAGE_BYTES', 2 * limits.maxFrameBytes + 64 * 1024, 4096, 256 * 1024 * 1024),
    limits,
    auth: {
      keys: readTerminalKeys(env, problems),
      windowMs: int('AUTH_WINDOW_MS', signatureWindowMs, 1_000, 300_000),
      nonceTtlMs: int('AUTH_NONCE_TTL_MS', nonceTtlMs, 2_000, 600_000),
      nonceMaxEntries: int('AUTH_NONCE_MAX_ENTRIES', 100_000, 100, 10_000_000),
      redisUrl: readRedisUrl(env, problems),
    },
    api: readApi(env, problems, int),
    models: {
      modelDir: optionalPath(cwd, env['MODEL_DIR'] || env['SMILEPAY_MODEL_DIR']),
      manifestPath: optionalPath(cwd, env['MODEL_MANIFEST']),
      intraOpThreads: int('MODEL_INTRA_OP_THREADS', 1, 1, 64),
    },
    analysis: {
      workers: int('ANALYSIS_WORKERS', 2, 0, 64),
      workerScript: resolve(cwd, env['ANALYSIS_WORKER_SCRIPT'] || join(__dirname, 'analysis-worker.js')),
    },
    phone: {
      digits: int('PHONE_DIGITS', 4, 2, 15),
      fullNumberDigits: int('PHONE_FULL_NUMBER_DIGITS', 11, 4, 15),
      fullNumberFromMinor: fullFrom ? BigInt(fullFrom) : null,
    },
    livenessThresholdsJson: env['LIVENESS_THRESHOLDS'] || null,
    ...readObservability(env, problems),
  };
  if (config.auth.nonceTtlMs < 2 * config.auth.windowMs) {
    problems.push('AUTH_NONCE_TTL_MS must be at least twice AUTH_WINDOW_MS, or a stale-but-in-window nonce could be replayed');
  }
  if (config.maxSocketMessageBytes < limits.maxFrameBytes) problems.push('MAX_SOCKET_MESSAGE_BYTES must be >= MAX_FRAME_BYTES');
  if (limits.maxAnalysesInFlight < config.analysis.workers) {
    problems.push('MAX_ANALYSES_IN_FLIGHT must be >= ANALYSIS_WORKERS, or analysis threads would sit idle');
  }
  if (problems.length > 0) throw new GatewayConfigError(problems);
  return config;
}

function readRedisUrl(env: Env, problems: string[]): string | undefined {
  const raw = env['REDIS_URL'];
  if (raw === undefined || raw === '') return undefined;
  if (!/^rediss?:\/\/[^/]+/.test(raw)) problems.push('REDIS_URL must start with redis:// or rediss://, e.g. redis://127.0.0.1:6379');
  return raw;
}

function readObservability(env: Env, problems: string[]): Pick<GatewayConfig, 'logLevel' | 'metricsToken'> {
  const level = parseLogLevel(env['LOG_LEVEL']);
  const token = parseMetricsToken(env['METRICS_TOKEN']);
  if ('problem' in level) problems.push(level.problem);
  if ('problem' in token) problems.push(token.problem);
  return { logLevel: 'level' in level ? level.level : 'info', metricsToken: 'token' in token ? token.token : undefined };
}

function optionalPath(cwd: string, value: string | undefined): string | undefined {
  return value ? resolve(cwd, value) : undefined;
}
