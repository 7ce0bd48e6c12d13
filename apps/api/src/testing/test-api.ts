import type { INestApplication } from '@nestjs/common';
import type { EventStore } from '@smilepay/shared/eventstore';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { INTERNAL_HEADERS } from '../app/auth/auth.guard';
import { parseApiConfig } from '../app/config/api-config';
import { signatureHeaders, signRequest } from '@smilepay/shared/request-signing';
import { createApi } from '../app/create-api';
import { ProjectionsService } from '../app/infrastructure/projections.service';
import { EVENT_STORE } from '../app/infrastructure/tokens';

export const TEST_INTERNAL_TOKEN = 'test-internal-token-0123456789abcdef';
export const TEST_POSTGRES_URL = process.env['TEST_DATABASE_URL'] ?? 'postgres://root@127.0.0.1:5432/test';

export interface TestApi {
  app: INestApplication;
  base: string;
  dataDir: string;
  /** The environment this instance booted with; `startTestApi({ join })` boots another instance of its cluster. */
  env: Record<string, string>;
  store: EventStore;
  login(role: 'analyst' | 'auditor' | 'admin'): Promise<string>;
  /** POSTs as the terminal gateway would: signed with the internal key. */
  internalPost(path: string, body: unknown): Promise<{ status: number; body: any }>;
  /** Waits until every projection has applied everything appended so far. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Boots the real api (real SQLite event store, real read-model database) on a random port in a fresh data dir.
 * `readModels: 'postgres'` puts the read models in a fresh schema of the local PostgreSQL, dropped on close.
 * `join` boots another instance of the same cluster (data dir, schema, secrets), as a second api process behind one
 * load balancer would run; the first instance's close() cleans up.
 */
export async function startTestApi(options: { readModels?: 'sqlite' | 'postgres'; env?: Record<string, string>; join?: TestApi } = {}): Promise<TestApi> {
  // A joining instance shares the first one's data dir (event store, audit keys), schema and keys: one cluster.
  const owner = options.join === undefined;
  const dataDir = options.join?.dataDir ?? mkdtempSync(join(tmpdir(), 'smilepay-api-'));
  const schema = options.join?.env['DATABASE_SCHEMA'] ?? `t_${process.pid}_${Date.now().toString(36)}`;
  const env: Record<string, string> = options.join !== undefined ? { ...options.join.env, ...options.env } : {
    DATA_DIR: dataDir,
    BIOMETRIC_MASTER_KEY: randomBytes(32).toString('base64'),
    PIN_PEPPER: randomBytes(32).toString('base64'),
    INTERNAL_API_TOKEN: TEST_INTERNAL_TOKEN,
    // Tests that count appended events must not see checkpoints appear mid-test; the sealer has its own spec.
    AUDIT_SEALER: 'off',
    // Quiet tests; a test that reads logs sets its own level.
    LOG_LEVEL: 'silent',
    ...options.env,
  };
  const postgres = options.readModels === 'postgres' || env['DATABASE_URL'] !== undefined;
  if (postgres) Object.assign(env, { DATABASE_URL: TEST_POSTGRES_URL, DATABASE_SCHEMA: schema });
  const saved = { ...process.env };
  Object.assign(process.env, env);
  const app = await createApi(parseApiConfig(env));
  try {
    await app.listen(0, '127.0.0.1');
  } finally {
    process.env = saved;
  }
  const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const store = app.get<EventStore>(EVENT_STORE);
  const projections = app.get(ProjectionsService);

  return {
    app,
    base,
    dataDir,
    env,
    store,
    async login(role) {
      const response = await fetch(`${base}/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: role, password: role }),
      });
      return ((await response.json()) as { token: string }).token;
    },
    async internalPost(path, body) {
      const text = JSON.stringify(body);
      const headers = signatureHeaders(INTERNAL_HEADERS, signRequest('gateway', Buffer.from(TEST_INTERNAL_TOKEN), 'POST', path, text));
      const response = await fetch(base + path, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: text });
      return { status: response.status, body: await response.json() };
    },
    async settle() {
      await projections.waitFor(await store.headPosition(), 10_000);
    },
    async close() {
      await app.close();
      if (!owner) return;
      rmSync(dataDir, { recursive: true, force: true });
      if (postgres) {
        const client = new Client({ connectionString: TEST_POSTGRES_URL });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await client.end();
      }
    },
  };
}
