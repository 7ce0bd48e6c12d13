import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post, Req, UseInterceptors } from '@nestjs/common';
import { CheckoutService } from '@smilepay/checkout/application';
import { parseMinor } from '@smilepay/ledger/domain';
import { IsUUID, Matches } from 'class-validator';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { ACTORS, Roles } from '../auth/roles';
import { IdempotencyInterceptor } from '../http/idempotency.interceptor';
import { requestContext } from '../http/request-context';

export class RefundDto {
  /** Client-chosen: the same id again is a retry of the same refund, never a second one. */
  @IsUUID()
  refundId!: string;

  @Matches(/^[0-9]{1,19}$/, { message: 'amountMinor must be a decimal string of minor units' })
  amountMinor!: string;
}

/** Full or partial refunds of a captured payment, bounded by captured minus already refunded. */
@Controller('v1/payments/:paymentId/refunds')
export class RefundsController {
  constructor(private readonly checkouts: CheckoutService) {}

  @Roles(...ACTORS)
  @Post()
  @HttpCode(200)
  @UseInterceptors(IdempotencyInterceptor)
  async refund(@Param('paymentId', ParseUUIDPipe) paymentId: string, @Body() body: RefundDto, @Req() request: AuthenticatedRequest) {
    const result = await this.checkouts.refund({ checkoutId: paymentId, refundId: body.refundId, amountMinor: parseMinor(body.amountMinor), at: new Date() }, requestContext(request));
    return { refundId: result.refundId, status: result.status, refundedMinor: result.refundedMinor.toString(), refundableMinor: result.refundableMinor.toString() };
  }
}
