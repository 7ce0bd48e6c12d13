import { io, Socket } from 'socket.io-client';
import { CheckoutResult, FrameAck, PhoneRequest, PinCheckoutRequest, PinRequest, SessionStartAck, TerminalEvents, terminalNamespace } from '@smilepay/checkout/contracts';
import type { EncodedFrame, Presentation } from '@smilepay/biometrics/infrastructure';
import { sign, TerminalKey } from './signing';

export interface SessionRecord {
  species: Presentation['species'];
  customerId: string;
  terminalId: string;
  outcome: CheckoutResult['outcome'] | 'transport_error';
  code?: string;
  /** The gateway's checkout id (= the payment id when authorized). */
  checkoutId?: string;
  framesSent: number;
  framesOk: number;
  frameCodes: Record<string, number>;
  /** session.start sent → result received. */
  totalMs: number;
  /** Last frame sent → the gateway's decision (phone.request when live, result otherwise). */
  decisionMs: number | null;
  /** Last frame sent → the session's result (after the phone digits, the match and the payment). */
  resultMs?: number;
  /** The gateway offers phone + PIN after this decline. */
  fallback?: 'phone_pin';
}

export interface TerminalOptions {
  fps: number;
  /** Frames awaiting their ack at most (the gateway refuses more than its queue with frame_flood). */
  window: number;
  phoneDigits: string;
  /** Typed when the gateway asks for a PIN; without it the prompt times out. */
  pin?: string;
  timeoutMs: number;
}

/** One simulated terminal: a signed socket.io connection that runs checkout sessions one after another. */
export class SimTerminal {
  private constructor(
    private readonly socket: Socket,
    readonly key: TerminalKey,
  ) {}

  static async connect(gatewayUrl: string, key: TerminalKey): Promise<SimTerminal> {
    const auth = sign(key.keyId, key.secret, 'GET', terminalNamespace, '');
    const socket = io(`${gatewayUrl}${terminalNamespace}`, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (error: Error & { data?: { code?: string } }) => reject(new Error(`handshake refused: ${error.data?.code ?? error.message}`)));
    });
    return new SimTerminal(socket, key);
  }

  async present(presentation: Presentation, idempotencyKey: string, amountMinor: string, options: TerminalOptions): Promise<SessionRecord> {
    const startedMs = performance.now();
    const record: SessionRecord = {
      species: presentation.species,
      customerId: presentation.customerId,
      terminalId: this.key.terminalId,
      outcome: 'transport_error',
      framesSent: 0,
      framesOk: 0,
      frameCodes: {},
      totalMs: 0,
      decisionMs: null,
    };
    const decision = this.awaitDecision(options);
    const start: SessionStartAck = await this.socket.timeout(options.timeoutMs).emitWithAck(TerminalEvents.SessionStart, {
      merchantId: this.key.merchantId,
      terminalId: this.key.terminalId,
      amountMinor,
      currency: 'EUR',
      idempotencyKey,
    });
    if (!start.ok) {
      decision.cancel();
      return { ...record, outcome: 'error', code: start.code, totalMs: performance.now() - startedMs };
    }
    const lastFrameMs = await this.sendFrames(presentation.frames, record, decision.captureComplete, options);
    if (!decision.captureComplete()) this.socket.emit(TerminalEvents.CaptureEnd);
    const outcome = await decision.done;
    record.totalMs = performance.now() - startedMs;
    record.decisionMs = outcome.decidedAtMs - lastFrameMs;
    record.resultMs = outcome.resultAtMs - lastFrameMs;
    record.outcome = outcome.result.outcome;
    record.code = outcome.result.code;
    record.fallback = outcome.result.fallback;
    record.checkoutId = outcome.result.checkoutId;
    return record;
  }

  /** Phone + PIN without a face: one call, answered with the checkout's result. */
  async payWithPin(phoneNumber: string, pin: string, idempotencyKey: string, amountMinor: string, timeoutMs: number): Promise<CheckoutResult | { ok: false; code: string; message: string }> {
    const request: PinCheckoutRequest = {
      session: { merchantId: this.key.merchantId, terminalId: this.key.terminalId, amountMinor, currency: 'EUR', idempotencyKey },
      phoneNumber,
      pin,
    };
    return this.socket.timeout(timeoutMs).emitWithAck(TerminalEvents.PinCheckout, request);
  }

  /** Sends frames paced at `fps`, at most `window` unacknowledged; returns when the last frame was sent. */
  private async sendFrames(frames: EncodedFrame[], record: SessionRecord, stop: () => boolean, options: TerminalOptions): Promise<number> {
    const inFlight = new Set<Promise<unknown>>();
    const intervalMs = 1000 / options.fps;
    let lastSentMs = performance.now();
    let nextAtMs = performance.now();
    for (const frame of frames) {
      if (stop()) break;
      const waitMs = nextAtMs - performance.now();
      if (waitMs > 0) await new Promise((r) => setTimeout(r, waitMs));
      nextAtMs = Math.max(performance.now(), nextAtMs) + intervalMs;
      if (stop()) break;
      lastSentMs = performance.now();
      record.framesSent++;
      const ack = (this.socket.timeout(options.timeoutMs).emitWithAck(TerminalEvents.Frame, frame) as Promise<FrameAck>).then((a) => {
        if (a.ok) record.framesOk++;
        else record.frameCodes[a.code] = (record.frameCodes[a.code] ?? 0) + 1;
      });
      inFlight.add(ack);
      void ack.finally(() => inFlight.delete(ack));
      if (inFlight.size >= options.window) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    return lastSentMs;
  }

  /** Listens for the end of a session: capture.complete, phone.request (answered at once) and result. */
  private awaitDecision(options: TerminalOptions) {
    let complete = false;
    let decidedAtMs = 0;
    const onComplete = () => (complete = true);
    const onPhone = (request: PhoneRequest) => {
      decidedAtMs ||= performance.now();
      const digits = options.phoneDigits.slice(-request.digitsRequested).padStart(request.digitsRequested, '0');
      this.socket.emit(TerminalEvents.PhoneDigits, { checkoutId: request.checkoutId, digits });
    };
    const onPin = (request: PinRequest) => {
      if (options.pin !== undefined) this.socket.emit(TerminalEvents.PinEntry, { checkoutId: request.checkoutId, pin: options.pin });
    };
    let cancel = () => undefined as void;
    const done = new Promise<{ result: CheckoutResult; decidedAtMs: number; resultAtMs: number }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no result within ${options.timeoutMs} ms`)), options.timeoutMs);
      const onResult = (result: CheckoutResult) => {
        decidedAtMs ||= performance.now();
        cleanup();
        resolve({ result, decidedAtMs, resultAtMs: performance.now() });
      };
      const cleanup = () => {
        clearTimeout(timer);
        this.socket.off(TerminalEvents.CaptureComplete, onComplete);
        this.socket.off(TerminalEvents.PhoneRequest, onPhone);
        this.socket.off(TerminalEvents.PinRequest, onPin);
        this.socket.off(TerminalEvents.Result, onResult);
      };
      cancel = cleanup;
      this.socket.on(TerminalEvents.CaptureComplete, onComplete);
      this.socket.on(TerminalEvents.PhoneRequest, onPhone);
      this.socket.on(TerminalEvents.PinRequest, onPin);
      this.socket.on(TerminalEvents.Result, onResult);
    });
    return { done, captureComplete: () => complete, cancel: () => cancel() };
  }

  close(): void {
    this.socket.disconnect();
  }
}
