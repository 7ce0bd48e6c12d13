import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GatewayConfigError, loadGatewayConfig } from './gateway-config';

const secret = 's'.repeat(32);
const base = {
  TERMINAL_KEYS: JSON.stringify([{ keyId: 'k1', terminalId: 't1', merchantId: 'm1', secret }]),
  API_URL: 'http://127.0.0.1:3000/',
  INTERNAL_API_TOKEN: 'i'.repeat(40),
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadGatewayConfig(env);
  } catch (error) {
    if (error instanceof GatewayConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadGatewayConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadGatewayConfig(base);
    expect(config.limits).toMatchObject({ maxFrameBytes: 2 * 1024 * 1024, maxFramesPerSession: 60, maxFps: 30, sessionDurationMs: 10_000 });
    expect(config.auth).toMatchObject({ windowMs: 30_000, nonceTtlMs: 60_000, nonceMaxEntries: 100_000 });
    expect(config.api.url).toBe('http://127.0.0.1:3000');
    expect(config.auth.keys[0].terminalId).toBe('t1');
  });

  it('lists every bad value at once', () => {
    const problems = problemsOf({ ...base, MAX_FPS: '0', PORT: 'x', API_URL: 'ftp://x', INTERNAL_API_TOKEN: 'short' });
    expect(problems).toHaveLength(4);
  });

  it('refuses fewer analysis slots than analysis threads', () => {
    expect(problemsOf({ ...base, ANALYSIS_WORKERS: '4', MAX_ANALYSES_IN_FLIGHT: '2' }).join()).toMatch(/MAX_ANALYSES_IN_FLIGHT/);
  });

  it('keeps nonces in memory unless REDIS_URL names a Redis, and names the variable when it is wrong', () => {
    expect(loadGatewayConfig(base).auth.redisUrl).toBeUndefined();
    expect(loadGatewayConfig({ ...base, REDIS_URL: 'redis://127.0.0.1:6379' }).auth.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(problemsOf({ ...base, REDIS_URL: 'http://127.0.0.1:6379' })).toEqual([expect.stringMatching(/^REDIS_URL must start with redis:\/\//)]);
  });

  it('refuses a nonce TTL shorter than twice the window (replays would slip through)', () => {
    expect(problemsOf({ ...base, AUTH_NONCE_TTL_MS: '40000' }).join()).toMatch(/AUTH_NONCE_TTL_MS/);
  });

  it('refuses weak or duplicate terminal keys without echoing any secret', () => {
    const keys = [
      { keyId: 'k1', terminalId: 't1', merchantId: 'm1', secret: 'too-short-secret' },
      { keyId: 'k1', terminalId: 't2', merchantId: 'm1', secret },
    ];
    const problems = problemsOf({ ...base, TERMINAL_KEYS: JSON.stringify(keys) });
    expect(problems.join()).toMatch(/secret must be/);
    expect(problems.join()).toMatch(/duplicate keyId k1/);
    expect(problems.join()).not.toContain('too-short-secret');
  });

  it('reads keys from TERMINAL_KEYS_FILE', () => {
    const dir = mkdtempSync(join(tmpdir(), 'keys-'));
    const file = join(dir, 'keys.json');
    writeFileSync(file, base.TERMINAL_KEYS);
    const config = loadGatewayConfig({ API_URL: base.API_URL, INTERNAL_API_TOKEN: base.INTERNAL_API_TOKEN, TERMINAL_KEYS_FILE: file });
    expect(config.auth.keys.map((k) => k.keyId)).toEqual(['k1']);
    expect(problemsOf({ ...base, TERMINAL_KEYS_FILE: join(dir, 'missing.json') }).join()).toMatch(/cannot read/);
  });
});
