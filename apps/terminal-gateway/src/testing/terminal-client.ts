import { io, Socket } from 'socket.io-client';
import {
  CheckoutResult,
  CheckoutSessionStart,
  FrameAck,
  PhoneRequest,
  PinRequest,
  SessionStartAck,
  TerminalEvents,
  terminalAuthHeaders,
  terminalNamespace,
} from '@smilepay/checkout/contracts';
import { signRequest, signatureHeaders } from '@smilepay/shared/request-signing';
import type { TestTerminal } from './gateway-harness';
import type { EncodedFrame } from '@smilepay/biometrics/infrastructure';

/** A signed HTTP call as a terminal makes it. `sign: false` sends it unsigned; `at` shifts the signing clock. */
export async function terminalFetch(
  baseUrl: string,
  terminal: TestTerminal,
  path: string,
  body: Buffer | string,
  options: { contentType?: string; sign?: boolean; atMs?: number; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: unknown }> {
  const signed = signRequest(terminal.keyId, Buffer.from(terminal.secret), 'POST', path, body, options.atMs ?? Date.now());
  const response = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: {
      'content-type': options.contentType ?? 'application/json',
      ...(options.sign === false ? {} : signatureHeaders(terminalAuthHeaders, signed)),
      ...options.headers,
    },
    body: typeof body === 'string' ? body : (new Uint8Array(body.buffer, body.byteOffset, body.byteLength) as Uint8Array<ArrayBuffer>),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

export function sessionStart(terminal: TestTerminal, idempotencyKey: string, amountMinor = '1250'): CheckoutSessionStart {
  return { merchantId: terminal.merchantId, terminalId: terminal.terminalId, amountMinor, currency: 'EUR', idempotencyKey };
}

/** The socket handshake's auth payload, signed as `GET /terminal` with an empty body. */
export function handshakeAuth(terminal: TestTerminal, atMs = Date.now()) {
  return signRequest(terminal.keyId, Buffer.from(terminal.secret), 'GET', terminalNamespace, '', atMs);
}

export interface PresentationRun {
  started: SessionStartAck;
  acks: FrameAck[];
  phone: PhoneRequest | null;
  result: CheckoutResult;
}

/** One terminal's socket: signed handshake, then sessions driven the way a terminal would. */
export class TerminalConnection {
  private constructor(readonly socket: Socket) {}

  static async open(baseUrl: string, auth: object): Promise<TerminalConnection> {
    const socket = io(`${baseUrl}${terminalNamespace}`, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (error) => reject(error));
    });
    return new TerminalConnection(socket);
  }

  start(session: CheckoutSessionStart): Promise<SessionStartAck> {
    return this.socket.timeout(10_000).emitWithAck(TerminalEvents.SessionStart, session);
  }

  frame(frame: EncodedFrame): Promise<FrameAck> {
    return this.socket.timeout(30_000).emitWithAck(TerminalEvents.Frame, frame);
  }

  next<T>(event: string, timeoutMs = 30_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
      this.socket.once(event, (payload: T) => {
        clearTimeout(timer);
        resolve(payload);
      });
    });
  }

  /**
   * Sends the frames with at most `window` awaiting their ack, stops when the gateway says capture is complete,
   * answers the phone prompt with `digits` (and a PIN prompt with `pin`), and returns everything the gateway said.
   */
  async present(session: CheckoutSessionStart, frames: EncodedFrame[], digits = '4821', window = 2, pin?: string): Promise<PresentationRun> {
    const result = this.next<CheckoutResult>(TerminalEvents.Result);
    if (pin !== undefined) {
      this.socket.once(TerminalEvents.PinRequest, (request: PinRequest) => void this.socket.emitWithAck(TerminalEvents.PinEntry, { checkoutId: request.checkoutId, pin }));
    }
    let phone: PhoneRequest | null = null;
    this.socket.once(TerminalEvents.PhoneRequest, (request: PhoneRequest) => {
      phone = request;
      void this.socket.emitWithAck(TerminalEvents.PhoneDigits, { checkoutId: request.checkoutId, digits: digits.slice(0, request.digitsRequested).padEnd(request.digitsRequested, '0') });
    });
    let complete = false;
    this.socket.once(TerminalEvents.CaptureComplete, () => (complete = true));
    const started = await this.start(session);
    if (!started.ok) throw new Error(`session.start refused: ${started.code}`);
    const acks: FrameAck[] = [];
    const inFlight = new Set<Promise<FrameAck>>();
    for (const frame of frames) {
      if (complete) break;
      const ack = this.frame(frame).then((a) => (acks.push(a), a));
      inFlight.add(ack);
      void ack.finally(() => inFlight.delete(ack));
      if (inFlight.size >= window) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    if (!complete) this.socket.emit(TerminalEvents.CaptureEnd);
    const final = await result;
    return { started, acks: acks.sort((a, b) => a.seq - b.seq), phone, result: final };
  }

  close(): void {
    this.socket.disconnect();
  }
}
