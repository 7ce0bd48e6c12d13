import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CheckoutService } from '@smilepay/checkout/application';
import type { PaymentDecisionReply, RecordLivenessVerdictReply } from '@smilepay/checkout/contracts';
import { Internal } from '../auth/roles';
import { decodeEmbedding } from './embedding';
import { assertSameCheckout, completePayment, gatewayContext, livenessReply, stepOrRecorded } from './gateway-decision';
import { PresentCredentialDto, RecordLivenessVerdictDto, SubmitFaceProbeDto, SubmitPinDto } from './gateway.dto';

/** The embedding model's identity as the gateway reports it; templates are only compared within one model. */
const EMBEDDING_MODEL_KEY = 'embedding';

/**
 * The terminal gateway's commands. One gateway session is one checkout, so the checkout id doubles as the terminal
 * session the face credential is bound to. Every step is idempotent on the checkout id: a retried call lands on the
 * same stream and returns the same outcome.
 */
@Controller('internal/v1/checkouts/:checkoutId')
@Internal()
export class GatewayCheckoutController {
  constructor(private readonly checkouts: CheckoutService) {}

  @Post('liveness')
  @HttpCode(200)
  async liveness(@Param('checkoutId', ParseUUIDPipe) checkoutId: string, @Body() body: RecordLivenessVerdictDto): Promise<RecordLivenessVerdictReply> {
    assertSameCheckout(checkoutId, body.checkout.checkoutId);
    const context = gatewayContext(body.checkout.terminalId, checkoutId);
    const { checkout } = body;
    const at = new Date();
    const started = await this.checkouts.start(
      { checkoutId, merchantId: checkout.merchantId, terminalId: checkout.terminalId, terminalSessionId: checkoutId, amountMinor: BigInt(checkout.amountMinor), currency: checkout.currency, idempotencyKey: checkout.terminalIdempotencyKey, method: 'face', at },
      context,
    );
    if (started.status !== 'awaiting_liveness') return livenessReply((await this.checkouts.get(checkoutId)).step);
    // "inconclusive" is not a pass: the checkout records it as not live, and the terminal offers phone + PIN instead.
    const verdict = body.verdict === 'live' ? 'live' : 'spoof';
    const evidence = { scores: body.scores, attackSpecies: body.attackSpecies ?? null, frameDigests: body.frameDigests, modelVersions: body.modelVersions };
    const step = await this.checkouts.recordLiveness({ checkoutId, verdict, score: body.scores['fused'] ?? null, evidence, at }, context);
    return livenessReply(step);
  }

  @Post('face-probe')
  @HttpCode(200)
  async faceProbe(@Param('checkoutId', ParseUUIDPipe) checkoutId: string, @Body() body: SubmitFaceProbeDto): Promise<PaymentDecisionReply & { credentialId?: string }> {
    assertSameCheckout(checkoutId, body.checkout.checkoutId);
    const context = gatewayContext(body.checkout.terminalId, checkoutId);
    const embedding = decodeEmbedding(body.embedding);
    const current = await this.checkouts.get(checkoutId);
    const step =
      current.step?.next === 'phone'
        ? await this.checkouts.submitPhoneFactor({ checkoutId, digits: body.phoneDigits, probe: { embedding, modelVersion: body.modelVersions[EMBEDDING_MODEL_KEY] ?? 'unknown' }, at: new Date() }, context)
        : current.step;
    return completePayment(this.checkouts, step, { checkoutId, terminalId: body.checkout.terminalId });
  }

  /** The PIN a face checkout asked for. A retry after the PIN was checked answers from the recorded outcome. */
  @Post('pin')
  @HttpCode(200)
  async pin(@Param('checkoutId', ParseUUIDPipe) checkoutId: string, @Body() body: SubmitPinDto): Promise<PaymentDecisionReply> {
    assertSameCheckout(checkoutId, body.checkout.checkoutId);
    const context = gatewayContext(body.checkout.terminalId, checkoutId);
    const current = await this.checkouts.get(checkoutId);
    const step =
      current.step?.next === 'pin'
        ? await stepOrRecorded(this.checkouts, checkoutId, () => this.checkouts.verifyPin({ checkoutId, pin: body.pin, at: new Date() }, context))
        : current.step;
    const { credentialId: _credential, ...decision } = await completePayment(this.checkouts, step, { checkoutId, terminalId: body.checkout.terminalId });
    return decision;
  }

  /** Presents a face credential: the first use authorizes; any later use is declined as credential_reused. */
  @Post('authorize')
  @HttpCode(200)
  async authorize(@Param('checkoutId', ParseUUIDPipe) checkoutId: string, @Body() body: PresentCredentialDto) {
    const context = gatewayContext(body.terminalId, checkoutId);
    return this.checkouts.authorize({ checkoutId, ...body, at: new Date() }, context);
  }
}
