import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { ServerOptions } from 'socket.io';

/**
 * socket.io server options that come from config, which the @WebSocketGateway decorator cannot read:
 * maxHttpBufferSize caps one message (a frame message bigger than that closes the connection with WebSocket
 * code 1009 before it is buffered), and only the websocket transport is offered (long-polling would need its own
 * limits; terminals without websockets use the HTTP route).
 */
export class TerminalIoAdapter extends IoAdapter {
  constructor(
    app: INestApplicationContext,
    private readonly maxMessageBytes: number,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): unknown {
    return super.createIOServer(port, {
      ...options,
      maxHttpBufferSize: this.maxMessageBytes,
      transports: ['websocket'],
      serveClient: false,
      perMessageDeflate: false,
      connectTimeout: 10_000,
    } as ServerOptions);
  }
}
