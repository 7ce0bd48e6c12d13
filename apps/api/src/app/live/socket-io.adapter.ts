import { Logger, type INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import type { Server, ServerOptions } from 'socket.io';

/** Limits on what one dashboard socket may cost the server. */
const SOCKET_LIMITS: Partial<ServerOptions> = {
  // Dashboards only send tiny control messages; anything bigger is hostile.
  maxHttpBufferSize: 16 * 1024,
  pingInterval: 20_000,
  pingTimeout: 20_000,
  connectTimeout: 10_000,
};

/**
 * socket.io with bounded buffers and, when REDIS_URL is set, the Redis adapter so a broadcast from any api instance
 * reaches dashboards connected to every other instance.
 */
export class SmilepayIoAdapter extends IoAdapter {
  private readonly logger = new Logger('SocketIo');
  private redisAdapter: ReturnType<typeof createAdapter> | undefined;
  private closers: (() => Promise<unknown>)[] = [];

  constructor(app: INestApplicationContext, private readonly redisUrl: string | undefined) {
    super(app);
  }

  async connectToRedis(): Promise<void> {
    if (!this.redisUrl) return;
    const pub = createClient({ url: this.redisUrl, socket: { reconnectStrategy: (retries) => Math.min(retries * 200, 5_000) } });
    const sub = pub.duplicate();
    for (const client of [pub, sub]) client.on('error', (error: Error) => this.logger.warn(`redis: ${error.message}`));
    await Promise.all([pub.connect(), sub.connect()]);
    this.redisAdapter = createAdapter(pub, sub);
    this.closers = [() => pub.quit(), () => sub.quit()];
    this.logger.log('socket.io fans out through Redis');
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server: Server = super.createIOServer(port, { ...options, ...SOCKET_LIMITS });
    if (this.redisAdapter) server.adapter(this.redisAdapter);
    return server;
  }

  override async close(server: Server): Promise<void> {
    await super.close(server);
    await Promise.allSettled(this.closers.map((close) => close()));
    this.closers = [];
  }
}
