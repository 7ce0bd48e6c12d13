import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CheckoutService } from '@smilepay/checkout/application';
import type { PaymentDecisionReply } from '@smilepay/checkout/contracts';
import { Internal } from '../auth/roles';
import { assertSameCheckout, completePayment, gatewayContext, stepOrRecorded } from './gateway-decision';
import { StartPinCheckoutDto } from './gateway.dto';

/**
 * Phone + PIN without a face: the alternative a terminal offers whenever the face is refused or declined. The
 * checkout is its own stream (method phone_pin), so the face checkout that was declined stays declined: ledger
 * facts and decisions are never rewritten. Idempotent on the checkout id like the face routes.
 */
@Controller('internal/v1/pin-checkouts')
@Internal()
export class GatewayPinCheckoutController {
  constructor(private readonly checkouts: CheckoutService) {}

  @Post(':checkoutId')
  @HttpCode(200)
  async pay(@Param('checkoutId', ParseUUIDPipe) checkoutId: string, @Body() body: StartPinCheckoutDto): Promise<PaymentDecisionReply> {
    assertSameCheckout(checkoutId, body.checkout.checkoutId);
    const { checkout } = body;
    const context = gatewayContext(checkout.terminalId, checkoutId);
    const at = new Date();
    await this.checkouts.start(
      { checkoutId, merchantId: checkout.merchantId, terminalId: checkout.terminalId, terminalSessionId: checkoutId, amountMinor: BigInt(checkout.amountMinor), currency: checkout.currency, idempotencyKey: checkout.terminalIdempotencyKey, method: 'phone_pin', at },
      context,
    );
    // Each step runs only if the stream still waits for it, so a retry resumes where a crash left off.
    let step = (await this.checkouts.get(checkoutId)).step;
    if (step?.next === 'phone') step = await stepOrRecorded(this.checkouts, checkoutId, () => this.checkouts.submitPhoneFactor({ checkoutId, digits: body.phoneNumber, at }, context));
    if (step?.next === 'pin') step = await stepOrRecorded(this.checkouts, checkoutId, () => this.checkouts.verifyPin({ checkoutId, pin: body.pin, at }, context));
    const { credentialId: _credential, ...decision } = await completePayment(this.checkouts, step, { checkoutId, terminalId: checkout.terminalId });
    return decision;
  }
}
