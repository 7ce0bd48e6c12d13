import { Logger } from '@nestjs/common';
import { OnGatewayConnection, OnGatewayDisconnect, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import { LIVE_NAMESPACE, type LiveServerEvents } from '@smilepay/shared/contracts';
import type { Namespace, Socket } from 'socket.io';
import { TokenService } from '../auth/token.service';

/** Most dashboards one api instance serves at once; beyond it new connections are refused, not queued. */
const MAX_DASHBOARD_SOCKETS = 1_000;

/**
 * The dashboards' live channel. A socket must present a valid bearer token in its handshake (`auth: { token }`);
 * dashboards only listen, so any event a client sends is ignored.
 */
@WebSocketGateway({ namespace: LIVE_NAMESPACE, cors: { origin: false } })
export class LiveGateway implements OnGatewayConnection, OnGatewayDisconnect {
  private readonly logger = new Logger('LiveGateway');
  @WebSocketServer() private readonly namespace!: Namespace;
  private connected = 0;

  constructor(private readonly tokens: TokenService) {}

  handleConnection(socket: Socket): void {
    const token = typeof socket.handshake.auth?.['token'] === 'string' ? (socket.handshake.auth['token'] as string) : undefined;
    const claims = this.tokens.verify(token, Date.now());
    if (!claims) {
      socket.emit('error', { code: 'unauthenticated', message: 'a valid token is required in the handshake auth' });
      socket.disconnect(true);
      return;
    }
    if (this.connected >= MAX_DASHBOARD_SOCKETS) {
      socket.emit('error', { code: 'too_many_connections', message: 'this api instance serves no more dashboards' });
      socket.disconnect(true);
      return;
    }
    this.connected++;
    socket.data['user'] = claims;
    socket.join(`role:${claims.role}`);
  }

  handleDisconnect(socket: Socket): void {
    if (socket.data['user']) this.connected--;
  }

  get connectedCount(): number {
    return this.connected;
  }

  /** Broadcasts to every authenticated dashboard on every instance (through Redis when configured). */
  broadcast<E extends keyof LiveServerEvents>(event: E, ...args: Parameters<LiveServerEvents[E]>): void {
    if (!this.namespace) {
      this.logger.warn(`dropped ${event}: the live namespace is not ready`);
      return;
    }
    this.namespace.to(['role:analyst', 'role:auditor', 'role:admin']).emit(event, ...args);
  }
}
