import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import { checkoutHttpPaths, CheckoutResult } from '@smilepay/checkout/contracts';
import type { RequestWithBody } from '../checkout-http/body-reader.middleware';
import { BodyError, parseJson } from '../checkout-http/checkout-body';
import { GatewayHttpError } from '../checkout-http/gateway-http-error';
import { TerminalAuthService } from '../terminal-auth/terminal-auth.service';
import { PinCheckouts } from './pin-checkouts';

/** POST /v1/pin-checkouts: phone + PIN in one signed call, answered with the checkout's result. */
@Controller(checkoutHttpPaths.pinCheckouts.slice(1))
export class PinCheckoutController {
  constructor(
    private readonly auth: TerminalAuthService,
    private readonly pins: PinCheckouts,
  ) {}

  @Post()
  @HttpCode(200)
  async pay(@Req() req: RequestWithBody): Promise<CheckoutResult> {
    const rawBody = req.rawBody ?? Buffer.alloc(0);
    const verified = await this.auth.verifyHttp(req, rawBody);
    if (!verified.ok) throw new GatewayHttpError(verified.status, verified.code, verified.message);
    const outcome = await this.pins.pay(verified.key, readJson(rawBody));
    if (!outcome.ok) throw new GatewayHttpError(outcome.status, outcome.code, outcome.message);
    return outcome.result;
  }
}

function readJson(body: Buffer): unknown {
  try {
    return parseJson(body);
  } catch (error) {
    if (error instanceof BodyError) throw new GatewayHttpError(error.status, error.code, error.message);
    throw error;
  }
}
