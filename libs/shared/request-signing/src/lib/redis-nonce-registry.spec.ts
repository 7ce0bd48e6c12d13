// Replay protection across instances, against the real Redis this machine runs (REDIS_URL, default 127.0.0.1:6379).
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { NonceRedisConnection, RedisNonceRegistry, RequestVerifier, Secret, SignedRequestParts, connectNonceRedis, sha256Hex, signRequest } from '../index';

const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const secret = 'internal-secret-0123456789abcdef-xyz';
const key = { keyId: 'gateway', secret: new Secret(secret) };
const body = JSON.stringify({ verdict: 'live' });

function signed(nowMs: number): SignedRequestParts {
  const s = signRequest('gateway', Buffer.from(secret), 'POST', '/internal/v1/checkouts/c-1/liveness', body, nowMs);
  return { method: 'POST', path: '/internal/v1/checkouts/c-1/liveness', ...s, bodySha256Hex: sha256Hex(body) };
}

describe('RedisNonceRegistry (real Redis)', () => {
  const connections: NonceRedisConnection[] = [];
  // A fresh scope per run, so nonces left in Redis by an earlier run cannot collide with this one's.
  const scope = `spec-${randomUUID()}`;
  const connect = async () => {
    const connection = await connectNonceRedis(redisUrl, () => undefined);
    connections.push(connection);
    return connection;
  };
  /** One api or gateway instance: its own Redis connection and its own verifier. */
  const instance = async (ttlMs = 60_000) =>
    new RequestVerifier([key], { windowMs: 30_000, nonces: new RedisNonceRegistry((await connect()).client, { scope, ttlMs }) });

  afterAll(async () => {
    await Promise.all(connections.map((c) => c.close()));
  });

  it('refuses on a second instance a request the first instance accepted', async () => {
    const [a, b] = [await instance(), await instance()];
    const request = signed(Date.now());
    expect(await a.verify(request)).toMatchObject({ ok: true });
    expect(await b.verify(request)).toMatchObject({ ok: false, code: 'auth_replayed_nonce', status: 401 });
    expect(await a.verify(request)).toMatchObject({ ok: false, code: 'auth_replayed_nonce' });
  });

  it('lets exactly one of many concurrent copies of a request through, whichever instance gets them', async () => {
    const instances = [await instance(), await instance(), await instance()];
    const request = signed(Date.now());
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => instances[i % 3].verify(request)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.code === 'auth_replayed_nonce')).toHaveLength(29);
  });

  it('lets Redis forget a nonce after its TTL, so memory stays bounded by rate × TTL', async () => {
    const { client } = await connect();
    const registry = new RedisNonceRegistry(client, { scope, ttlMs: 200 });
    const nonce = `ttl-${randomUUID()}`;
    expect(await registry.claim(nonce)).toBe('fresh');
    expect(await registry.claim(nonce)).toBe('replayed');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await registry.claim(nonce)).toBe('fresh');
  });

  it('refuses with 503 auth_replay_store_unavailable when Redis is gone, instead of accepting unchecked', async () => {
    const connection = await connect();
    const verifier = new RequestVerifier([key], { windowMs: 30_000, nonces: new RedisNonceRegistry(connection.client, { scope, ttlMs: 60_000 }) });
    await connection.close();
    expect(await verifier.verify(signed(Date.now()))).toMatchObject({ ok: false, code: 'auth_replay_store_unavailable', status: 503 });
  });

  it('answers unavailable within its timeout while Redis is not processing writes', async () => {
    const { client } = await connect();
    const admin = await connect();
    const registry = new RedisNonceRegistry(client, { scope, ttlMs: 60_000, timeoutMs: 100 });
    // CLIENT PAUSE … WRITE holds every client's writes on this Redis for 400 ms: a real slow Redis, kept short
    // because other suites share the server.
    await (admin.client as unknown as { sendCommand(args: string[]): Promise<unknown> }).sendCommand(['CLIENT', 'PAUSE', '400', 'WRITE']);
    const started = Date.now();
    expect(await registry.claim(`paused-${randomUUID()}`)).toBe('unavailable');
    expect(Date.now() - started).toBeLessThan(350);
  });

  it('fails boot with a message naming the host when Redis never completes its handshake', async () => {
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    try {
      await expect(connectNonceRedis(`redis://127.0.0.1:${port}`, () => undefined, 300)).rejects.toThrow(`Redis at 127.0.0.1:${port} did not answer within 300 ms`);
    } finally {
      silent.close();
    }
  });
});
