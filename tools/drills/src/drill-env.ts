import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const DRILL_POSTGRES_URL = process.env['TEST_DATABASE_URL'] ?? 'postgres://root@127.0.0.1:5432/test';
export const DRILL_REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** A fresh data dir and the secrets every instance of one drill cluster must share. */
export function drillEnvironment(): { dataDir: string; internalToken: string; env: Record<string, string> } {
  const dataDir = mkdtempSync(join(tmpdir(), 'smilepay-drill-'));
  const internalToken = randomBytes(32).toString('base64url');
  return {
    dataDir,
    internalToken,
    env: {
      DATA_DIR: dataDir,
      BIOMETRIC_MASTER_KEY: randomBytes(32).toString('base64'),
      PIN_PEPPER: randomBytes(32).toString('base64'),
      INTERNAL_API_TOKEN: internalToken,
      INTERNAL_API_KEY_ID: 'gateway',
      // Tokens must survive a restart, as they would behind a load balancer.
      AUTH_TOKEN_SECRET: randomBytes(32).toString('base64url'),
      RETENTION_JOB: 'off',
      LEADER_RETRY_INTERVAL_MS: '250',
      LEADER_HEARTBEAT_INTERVAL_MS: '250',
      // CI machines are shared: a heartbeat slowed by load must not pass for a dead connection.
      LEADER_QUERY_TIMEOUT_MS: '10000',
      NO_COLOR: '1',
    },
  };
}

/** Collects figures and failures; a drill passes when it collected no failure. */
export class DrillReport {
  readonly failures: string[] = [];

  constructor(readonly name: string) {}

  figure(line: string): void {
    process.stdout.write(`[${this.name}] ${line}\n`);
  }

  expect(ok: boolean, failure: string, details: string[] = []): void {
    if (ok) return;
    this.failures.push(failure);
    process.stdout.write(`[${this.name}] FAILED: ${failure}${details.length > 0 ? `\n  ${details.slice(0, 10).join('\n  ')}` : ''}\n`);
  }
}
