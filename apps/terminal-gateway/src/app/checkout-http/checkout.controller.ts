import { Controller, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import {
  CheckoutErrorCode,
  CheckoutHttpDone,
  CheckoutHttpPending,
  CheckoutHttpPinPending,
  CheckoutResult,
  FrameAck,
  PhoneRequest,
  PinRequest,
} from '@smilepay/checkout/contracts';
import { CheckoutSessions } from '../checkout/checkout-sessions';
import type { SessionListener } from '../checkout/checkout-session';
import { GATEWAY_CONFIG } from '../config/config.module';
import type { GatewayConfig } from '../config/gateway-config';
import type { TerminalKey } from '../config/terminal-keys';
import { TerminalAuthService } from '../terminal-auth/terminal-auth.service';
import type { RequestWithBody } from './body-reader.middleware';
import { BodyError, parseCheckoutBody, parseJson } from './checkout-body';
import { GatewayHttpError } from './gateway-http-error';

/**
 * The checkout for terminals without websockets: every frame in one signed body, answered after analysis with
 * 202 (live: ask for phone digits, then POST them) or 200 (the session is over). Same sessions, limits and codes
 * as the socket.
 */
type Step = { phone: PhoneRequest } | { pin: PinRequest } | { result: CheckoutResult };

/**
 * A session's prompts as awaitable steps for request/response: each HTTP call waits for the next prompt (phone,
 * PIN) or the result. Once the result is known every later wait returns it.
 */
class HttpSessionSteps implements SessionListener {
  #resolve!: (step: Step) => void;
  #next: Promise<Step> = this.fresh();
  #result: { result: CheckoutResult } | null = null;

  next(): Promise<Step> {
    return this.#result ? Promise.resolve(this.#result) : this.#next;
  }

  captureComplete(): void {
    return undefined;
  }

  phoneRequest(phone: PhoneRequest): void {
    this.settle({ phone });
  }

  pinRequest(pin: PinRequest): void {
    this.settle({ pin });
  }

  result(result: CheckoutResult): void {
    this.#result = { result };
    this.settle(this.#result);
  }

  private settle(step: Step): void {
    const resolve = this.#resolve;
    this.#next = this.fresh();
    resolve(step);
  }

  private fresh(): Promise<Step> {
    return new Promise<Step>((resolve) => (this.#resolve = resolve));
  }
}

@Controller('v1/checkout-sessions')
export class CheckoutController {
  /** Keyed by the session object, so an ended session's steps go with it. */
  readonly #steps = new WeakMap<object, HttpSessionSteps>();

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly auth: TerminalAuthService,
    private readonly sessions: CheckoutSessions,
  ) {}

  /** Answers itself (not through Nest's reply) because the status, 200 or 202, depends on the outcome. */
  @Post()
  async create(@Req() req: RequestWithBody, @Res() res: ServerResponse): Promise<void> {
    const key = await this.authenticate(req);
    const body = this.parse(() => parseCheckoutBody(req.headers['content-type'], req.rawBody ?? Buffer.alloc(0), this.config.limits.maxFramesPerSession));
    const steps = new HttpSessionSteps();
    const settled = steps.next();
    const opened = this.sessions.open(key, body.session, steps, { rateLimited: false });
    if (!opened.ok) throw new GatewayHttpError(opened.status, opened.code, opened.message);
    this.#steps.set(opened.session, steps);
    const acks: FrameAck[] = [];
    // Frames are submitted one at a time: an HTTP body is a finished capture, so there is no queue to flood.
    for (const frame of body.frames) acks.push(await opened.session.submitFrame(frame));
    opened.session.endCapture('terminal');
    const outcome = await settled;
    if ('phone' in outcome) {
      const pending: CheckoutHttpPending = { checkoutId: opened.session.checkoutId, phoneRequest: outcome.phone, frames: acks };
      return sendJson(res, 202, pending);
    }
    const done: CheckoutHttpDone = { result: 'result' in outcome ? outcome.result : await opened.session.done, frames: acks };
    sendJson(res, 200, done);
  }

  /** 200 with the result, or 202 `CheckoutHttpPinPending` when the face matched but a PIN must confirm it. */
  @Post(':checkoutId/phone-digits')
  async phoneDigits(@Req() req: RequestWithBody, @Res() res: ServerResponse, @Param('checkoutId') checkoutId: string): Promise<void> {
    const { session, steps, body } = await this.resume(req, checkoutId);
    const next = steps.next();
    const ack = session.answerPhone({ ...(body as object), checkoutId });
    if (!ack.ok) throw new GatewayHttpError(ack.code === CheckoutErrorCode.PhoneDigitsInvalid ? 400 : 409, ack.code, ack.message);
    const step = await next;
    if ('pin' in step) {
      const pending: CheckoutHttpPinPending = { checkoutId, pinRequest: step.pin };
      return sendJson(res, 202, pending);
    }
    sendJson(res, 200, 'result' in step ? step.result : await session.done);
  }

  @Post(':checkoutId/pin')
  @HttpCode(200)
  async pin(@Req() req: RequestWithBody, @Param('checkoutId') checkoutId: string): Promise<CheckoutResult> {
    const { session, body } = await this.resume(req, checkoutId);
    const ack = session.answerPin({ ...(body as object), checkoutId });
    if (!ack.ok) throw new GatewayHttpError(ack.code === CheckoutErrorCode.PinInvalid ? 400 : 409, ack.code, ack.message);
    return session.done;
  }

  /** The HTTP session a signed follow-up call names; only the terminal that opened it may continue it. */
  private async resume(req: RequestWithBody, checkoutId: string) {
    const key = await this.authenticate(req);
    const body = this.parse(() => parseJson(req.rawBody ?? Buffer.alloc(0)));
    const session = this.sessions.find(checkoutId);
    const steps = session && this.#steps.get(session);
    if (!session || !steps || session.context.terminalId !== key.terminalId) {
      throw new GatewayHttpError(404, CheckoutErrorCode.SessionNotFound, 'no session awaiting an answer under this id for this terminal');
    }
    return { session, steps, body };
  }

  private async authenticate(req: RequestWithBody): Promise<TerminalKey> {
    const verified = await this.auth.verifyHttp(req, req.rawBody ?? Buffer.alloc(0));
    if (!verified.ok) throw new GatewayHttpError(verified.status, verified.code, verified.message);
    return verified.key;
  }

  private parse<T>(read: () => T): T {
    try {
      return read();
    } catch (error) {
      if (error instanceof BodyError) throw new GatewayHttpError(error.status, error.code, error.message);
      throw error;
    }
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}
