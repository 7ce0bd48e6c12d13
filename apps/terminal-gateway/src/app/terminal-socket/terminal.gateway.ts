import { Logger } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  OnGatewayConnection,
  OnGatewayDisconnect,
  OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';
import {
  CheckoutErrorCode,
  CheckoutResult,
  FrameAck,
  PhoneDigitsAck,
  PinEntryAck,
  SessionStartAck,
  TerminalEvents,
  terminalNamespace,
  validateFrameMeta,
} from '@smilepay/checkout/contracts';
import { CheckoutSessions } from '../checkout/checkout-sessions';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import type { CheckoutSession } from '../checkout/checkout-session';
import type { TerminalKey } from '../config/terminal-keys';
import { TerminalAuthService } from '../terminal-auth/terminal-auth.service';
import { PinCheckouts } from '../pin-checkout/pin-checkouts';

interface TerminalSocketData {
  key: TerminalKey;
  session?: CheckoutSession;
}

type TerminalSocket = Socket<Record<string, never>, Record<string, never>, Record<string, never>, TerminalSocketData>;

/**
 * socket.io namespace /terminal: one signed connection per terminal, one checkout session at a time on it.
 * Every handler answers through the ack with `ok: false` and a code rather than throwing, so one terminal's bad
 * input never reaches another terminal's session.
 */
@WebSocketGateway({ namespace: terminalNamespace })
export class TerminalGateway implements OnGatewayInit<Namespace>, OnGatewayConnection<TerminalSocket>, OnGatewayDisconnect<TerminalSocket> {
  private readonly logger = new Logger('TerminalGateway');

  constructor(
    private readonly auth: TerminalAuthService,
    private readonly sessions: CheckoutSessions,
    private readonly pins: PinCheckouts,
    private readonly metrics: GatewayMetrics,
  ) {}

  afterInit(namespace: Namespace): void {
    this.metrics.readSocketsFrom(() => namespace.sockets.size);
    namespace.use(async (socket, next) => {
      const verified = await this.auth.verifyHandshake(socket.handshake.auth, socket.handshake.address);
      if (!verified.ok) {
        const error = new Error(verified.message) as Error & { data: unknown };
        error.data = { code: verified.code, message: verified.message };
        return next(error);
      }
      (socket.data as TerminalSocketData).key = verified.key;
      next();
    });
  }

  handleConnection(socket: TerminalSocket): void {
    socket.on('disconnect', (reason, description) => {
      const detail = description instanceof Error ? description.message : '';
      // ws refuses a message above maxHttpBufferSize by closing with 1009 before buffering it.
      const code = /max payload/i.test(detail) ? ` (${CheckoutErrorCode.FrameTooLarge}: message above the socket limit)` : '';
      if (reason !== 'client namespace disconnect') this.logger.log(`terminal ${socket.data.key?.terminalId} disconnected: ${reason}${code}`);
    });
  }

  handleDisconnect(socket: TerminalSocket): void {
    socket.data.session?.abandon();
  }

  @SubscribeMessage(TerminalEvents.SessionStart)
  start(@ConnectedSocket() socket: TerminalSocket, @MessageBody() body: unknown): SessionStartAck {
    const current = socket.data.session;
    if (current && !current.isDone) {
      return { ok: false, code: CheckoutErrorCode.SessionAlreadyStarted, message: 'this connection already carries a session' };
    }
    const emit = (event: string, payload: unknown) => (socket as unknown as Socket).emit(event, payload);
    const opened = this.sessions.open(
      socket.data.key,
      body,
      {
        captureComplete: (reason) => emit(TerminalEvents.CaptureComplete, { reason }),
        phoneRequest: (request) => emit(TerminalEvents.PhoneRequest, request),
        pinRequest: (request) => emit(TerminalEvents.PinRequest, request),
        result: (result) => emit(TerminalEvents.Result, result),
      },
      { rateLimited: true },
    );
    if (!opened.ok) return { ok: false, code: opened.code, message: opened.message };
    socket.data.session = opened.session;
    const s = opened.session;
    return { ok: true, checkoutId: s.checkoutId, limits: s.limits, captureDeadline: s.captureDeadline };
  }

  @SubscribeMessage(TerminalEvents.Frame)
  frame(@ConnectedSocket() socket: TerminalSocket, @MessageBody() body: unknown): Promise<FrameAck> | FrameAck {
    const meta = validateFrameMeta(body);
    const seq = meta.ok ? meta.value.seq : -1;
    const session = socket.data.session;
    if (!session) return { ok: false, seq, code: CheckoutErrorCode.SessionNotStarted, message: 'send session.start first' };
    const frame = body as { rgb?: unknown; depth?: unknown };
    if (!meta.ok || !Buffer.isBuffer(frame.rgb) || (frame.depth !== undefined && !Buffer.isBuffer(frame.depth))) {
      const problems = meta.ok ? ['rgb (and depth, if sent) must be binary'] : meta.problems;
      return { ok: false, seq, code: CheckoutErrorCode.InvalidRequest, message: problems.join('; ') };
    }
    // socket.io hands each binary attachment over as its own buffer, read by nothing after this frame's analysis.
    return session.submitFrame({ ...meta.value, rgb: frame.rgb, ...(frame.depth ? { depth: frame.depth as Buffer } : {}), handOver: true });
  }

  @SubscribeMessage(TerminalEvents.CaptureEnd)
  captureEnd(@ConnectedSocket() socket: TerminalSocket): { ok: boolean } {
    const session = socket.data.session;
    if (!session || session.isDone) return { ok: false };
    session.endCapture('terminal');
    return { ok: true };
  }

  @SubscribeMessage(TerminalEvents.PhoneDigits)
  phoneDigits(@ConnectedSocket() socket: TerminalSocket, @MessageBody() body: unknown): PhoneDigitsAck {
    const session = socket.data.session;
    if (!session) return { ok: false, code: CheckoutErrorCode.SessionNotStarted, message: 'send session.start first' };
    return session.answerPhone(body);
  }

  @SubscribeMessage(TerminalEvents.PinEntry)
  pinEntry(@ConnectedSocket() socket: TerminalSocket, @MessageBody() body: unknown): PinEntryAck {
    const session = socket.data.session;
    if (!session) return { ok: false, code: CheckoutErrorCode.SessionNotStarted, message: 'send session.start first' };
    return session.answerPin(body);
  }

  /** Phone + PIN without a face; allowed between face sessions, not during one (one checkout per connection). */
  @SubscribeMessage(TerminalEvents.PinCheckout)
  async pinCheckout(@ConnectedSocket() socket: TerminalSocket, @MessageBody() body: unknown): Promise<CheckoutResult | { ok: false; code: CheckoutErrorCode; message: string }> {
    if (socket.data.session && !socket.data.session.isDone) {
      return { ok: false, code: CheckoutErrorCode.SessionAlreadyStarted, message: 'this connection already carries a session' };
    }
    const outcome = await this.pins.pay(socket.data.key, body);
    return outcome.ok ? outcome.result : { ok: false, code: outcome.code, message: outcome.message };
  }
}
