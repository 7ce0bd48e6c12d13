import { HttpException } from '@nestjs/common';
import type { CheckoutErrorCode } from '@smilepay/checkout/contracts';

/** An HTTP error whose body is the wire's `CheckoutErrorBody`: terminals branch on `code`. */
export class GatewayHttpError extends HttpException {
  constructor(status: number, code: CheckoutErrorCode, message: string) {
    super({ code, message }, status);
  }
}
