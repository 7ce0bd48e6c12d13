import { createClient } from 'redis';
import { NonceStore, type NonceOutcome, type NonceRegistry } from './nonce-store';

/** The one Redis command the registry needs, so specs and callers can hand in any connected node-redis client. */
export interface RedisSetIfAbsent {
  set(key: string, value: string, options: { expiration: { type: 'PX'; value: number }; condition: 'NX' }): Promise<string | null>;
}

export interface RedisNonceRegistryOptions {
  /** Namespaces the keys, so terminal nonces and internal-call nonces never collide: `smilepay:nonce:<scope>:…`. */
  scope: string;
  ttlMs: number;
  /** A claim that takes longer is answered `unavailable` (503): a slow Redis must not hold requests open. */
  timeoutMs?: number;
}

/**
 * Nonces shared by every instance behind the load balancer: `SET key 1 PX ttl NX` is atomic in Redis, so exactly one
 * instance wins a nonce however many see the request at once. Redis expires the keys, so memory is bounded by the
 * request rate times the TTL. When Redis is down or slow the answer is `unavailable` and the request is refused:
 * accepting it unchecked would reopen the replay hole this registry exists to close.
 */
export class RedisNonceRegistry implements NonceRegistry {
  private readonly prefix: string;
  private readonly timeoutMs: number;

  constructor(
    private readonly client: RedisSetIfAbsent,
    private readonly options: RedisNonceRegistryOptions,
  ) {
    this.prefix = `smilepay:nonce:${options.scope}:`;
    this.timeoutMs = options.timeoutMs ?? 1_000;
  }

  async claim(nonce: string): Promise<NonceOutcome> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'unavailable'>((resolve) => (timer = setTimeout(() => resolve('unavailable'), this.timeoutMs)));
    const set = this.client
      .set(this.prefix + nonce, '1', { expiration: { type: 'PX', value: this.options.ttlMs }, condition: 'NX' })
      .then((reply): NonceOutcome => (reply === 'OK' ? 'fresh' : 'replayed'))
      .catch((): NonceOutcome => 'unavailable');
    try {
      return await Promise.race([set, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

export interface NonceRedisConnection {
  client: RedisSetIfAbsent;
  close(): Promise<void>;
}

/**
 * A Redis connection for nonce claims. The offline queue is off, so while Redis is unreachable a claim fails at once
 * (503) instead of piling up in memory; the client keeps reconnecting in the background with a capped back-off.
 * Boot fails with a message naming the URL's host if Redis does not complete its handshake in time, rather than hang.
 */
export async function connectNonceRedis(url: string, onError: (message: string) => void, connectTimeoutMs = 5_000): Promise<NonceRedisConnection> {
  const client = createClient({
    url,
    disableOfflineQueue: true,
    commandsQueueMaxLength: 10_000,
    socket: { connectTimeout: connectTimeoutMs, reconnectStrategy: (retries) => Math.min(retries * 200, 5_000) },
  });
  client.on('error', (error: Error) => onError(error.message));
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis at ${new URL(url).host} did not answer within ${connectTimeoutMs} ms`)), connectTimeoutMs);
  });
  try {
    await Promise.race([client.connect(), timedOut]);
  } catch (error) {
    client.destroy();
    throw error;
  } finally {
    clearTimeout(timer);
  }
  return {
    client,
    close: async () => {
      if (client.isOpen) await client.quit();
    },
  };
}

/** Hands out one registry per scope: in memory for a single instance, or all on one shared Redis connection. */
export interface NonceRegistries {
  /** True when the registries are shared with every other instance through Redis. */
  readonly shared: boolean;
  registry(scope: string, ttlMs: number, maxInMemory: number): NonceRegistry;
  close(): Promise<void>;
}

/** `REDIS_URL` set: nonces live in Redis, so a request replayed to another instance is refused there too. */
export async function openNonceRegistries(redisUrl: string | undefined, onError: (message: string) => void): Promise<NonceRegistries> {
  if (!redisUrl) {
    return { shared: false, registry: (_scope, ttlMs, maxInMemory) => new NonceStore(ttlMs, maxInMemory), close: async () => undefined };
  }
  const connection = await connectNonceRedis(redisUrl, onError);
  return {
    shared: true,
    registry: (scope, ttlMs) => new RedisNonceRegistry(connection.client, { scope, ttlMs }),
    close: () => connection.close(),
  };
}
