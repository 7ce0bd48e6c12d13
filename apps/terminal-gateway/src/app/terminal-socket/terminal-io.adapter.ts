import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { Server, ServerOptions } from 'socket.io';
import { CheckoutErrorCode, TerminalEvents, terminalNamespace } from '@smilepay/checkout/contracts';

/**
 * `TerminalEvents.TransportError`: sent just before the gateway closes a connection whose message broke the transport
 * limit. The close frame that follows carries code 1009 and the reason `frame_too_large` too, for clients that only
 * look at the close.
 */
export const TransportErrorEvent = TerminalEvents.TransportError;

/** WebSocket close code "message too big" (RFC 6455 §7.4.1). */
const MESSAGE_TOO_BIG = 1009;
const WS_OPEN = 1;

/** The part of the `ws` WebSocket class this file touches (ws is engine.io's dependency, not ours). */
interface WsSocketLike {
  readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}
type WsSocketClass = new (...args: never[]) => WsSocketLike;

/**
 * socket.io server options that come from config, which the @WebSocketGateway decorator cannot read:
 * maxHttpBufferSize caps one WebSocket message (socket.io sends each binary attachment of a frame as its own
 * message), and only the websocket transport is offered (long-polling would need its own limits; terminals without
 * websockets use the HTTP route).
 *
 * A message above the limit is refused by `ws` from its header alone, before any of it is buffered: `ws` closes the
 * connection with 1009. That keeps memory bounded but tells the terminal nothing in its own protocol, so the adapter
 * gives `ws` a WebSocket class whose close(1009) first sends one socket.io event, `transport.error` with
 * `frame_too_large`, then closes with the reason `frame_too_large`. Both go out on the same TCP stream in that order,
 * so the terminal reads the code before the close. Frames between MAX_FRAME_BYTES and this limit are read and
 * refused with the same code in the frame's ack, on a connection that stays open.
 */
export class TerminalIoAdapter extends IoAdapter {
  constructor(
    app: INestApplicationContext,
    private readonly maxMessageBytes: number,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): unknown {
    const server = super.createIOServer(port, {
      ...options,
      maxHttpBufferSize: this.maxMessageBytes,
      transports: ['websocket'],
      serveClient: false,
      perMessageDeflate: false,
      connectTimeout: 10_000,
    } as ServerOptions) as Server;
    announceOversizeCloses(server, this.maxMessageBytes);
    return server;
  }
}

type WsServerClass = new (options: Record<string, unknown>) => { options: { WebSocket: WsSocketClass } };
interface EngineInternals {
  ws?: InstanceType<WsServerClass>;
  opts: { wsEngine: WsServerClass };
  init(): void;
}

/**
 * Makes engine.io build its `ws` server (option `wsEngine`) with a WebSocket class (ws's documented `WebSocket`
 * option) that explains a 1009 close. Both classes are taken from the server socket.io just built, so this works
 * with whatever `ws` engine.io resolved; engine.io re-creates its ws server from `opts.wsEngine` whenever it
 * re-initialises, so the option, not the instance, is what must change.
 */
function announceOversizeCloses(server: Server, maxMessageBytes: number): void {
  const engine = server.engine as unknown as EngineInternals;
  if (!engine.ws) throw new Error('socket.io has no websocket server: the websocket transport must be enabled');
  const BaseServer = engine.ws.constructor as WsServerClass;
  const BaseSocket = engine.ws.options.WebSocket;
  const notice = oversizeNotice(maxMessageBytes);
  class OversizeAwareWebSocket extends BaseSocket {
    override close(code?: number, reason?: string): void {
      if (code !== MESSAGE_TOO_BIG || this.readyState !== WS_OPEN) return super.close(code, reason);
      try {
        this.send(notice);
      } finally {
        super.close(MESSAGE_TOO_BIG, CheckoutErrorCode.FrameTooLarge);
      }
    }
  }
  engine.opts.wsEngine = class OversizeAwareWsServer extends BaseServer {
    constructor(options: Record<string, unknown>) {
      super({ ...options, WebSocket: OversizeAwareWebSocket });
    }
  };
  engine.init();
}

/**
 * One engine.io message packet ("4") holding a socket.io EVENT packet ("2") for the terminal namespace, written by
 * hand because the socket at this layer is below socket.io.
 */
export function oversizeNotice(maxMessageBytes: number): string {
  const body = {
    code: CheckoutErrorCode.FrameTooLarge,
    message: `a socket message may be at most ${maxMessageBytes} bytes; the connection is closed`,
    maxMessageBytes,
  };
  return `42${terminalNamespace},${JSON.stringify([TransportErrorEvent, body])}`;
}
