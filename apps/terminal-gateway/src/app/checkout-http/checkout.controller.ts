import { Controller, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import {
  CheckoutErrorCode,
  CheckoutHttpDone,
  CheckoutHttpPending,
  CheckoutResult,
  FrameAck,
  PhoneRequest,
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
@Controller('v1/checkout-sessions')
export class CheckoutController {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly auth: TerminalAuthService,
    private readonly sessions: CheckoutSessions,
  ) {}

  /** Answers itself (not through Nest's reply) because the status, 200 or 202, depends on the outcome. */
  @Post()
  async create(@Req() req: RequestWithBody, @Res() res: ServerResponse): Promise<void> {
    const key = this.authenticate(req);
    const body = this.parse(() => parseCheckoutBody(req.headers['content-type'], req.rawBody ?? Buffer.alloc(0), this.config.limits.maxFramesPerSession));
    let settle!: (value: { phone: PhoneRequest } | { result: CheckoutResult }) => void;
    const settled = new Promise<{ phone: PhoneRequest } | { result: CheckoutResult }>((resolve) => (settle = resolve));
    const listener: SessionListener = {
      captureComplete: () => undefined,
      phoneRequest: (phone) => settle({ phone }),
      result: (result) => settle({ result }),
    };
    const opened = this.sessions.open(key, body.session, listener, { rateLimited: false });
    if (!opened.ok) throw new GatewayHttpError(opened.status, opened.code, opened.message);
    const acks: FrameAck[] = [];
    // Frames are submitted one at a time: an HTTP body is a finished capture, so there is no queue to flood.
    for (const frame of body.frames) acks.push(await opened.session.submitFrame(frame));
    opened.session.endCapture('terminal');
    const outcome = await settled;
    if ('phone' in outcome) {
      const pending: CheckoutHttpPending = { checkoutId: opened.session.checkoutId, phoneRequest: outcome.phone, frames: acks };
      return sendJson(res, 202, pending);
    }
    const done: CheckoutHttpDone = { result: outcome.result, frames: acks };
    sendJson(res, 200, done);
  }

  @Post(':checkoutId/phone-digits')
  @HttpCode(200)
  async phoneDigits(@Req() req: RequestWithBody, @Param('checkoutId') checkoutId: string): Promise<CheckoutResult> {
    const key = this.authenticate(req);
    const body = this.parse(() => parseJson(req.rawBody ?? Buffer.alloc(0)));
    const session = this.sessions.find(checkoutId);
    if (!session || session.context.terminalId !== key.terminalId) {
      throw new GatewayHttpError(404, CheckoutErrorCode.SessionNotFound, 'no session awaiting digits under this id for this terminal');
    }
    const ack = session.answerPhone({ ...(body as object), checkoutId });
    if (!ack.ok) throw new GatewayHttpError(ack.code === CheckoutErrorCode.PhoneDigitsInvalid ? 400 : 409, ack.code, ack.message);
    return session.done;
  }

  private authenticate(req: RequestWithBody): TerminalKey {
    const verified = this.auth.verifyHttp(req, req.rawBody ?? Buffer.alloc(0));
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
