import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { CheckoutService } from '@smilepay/checkout/application';
import type { CheckoutStep } from '@smilepay/checkout/domain';
import type { RecordLivenessVerdictReply, SubmitFaceProbeReply } from '@smilepay/checkout/contracts';
import { DomainError } from '@smilepay/shared/domain';
import { randomUUID } from 'node:crypto';
import { Internal } from '../auth/roles';
import { decodeEmbedding } from './embedding';
import { derivedId } from './platform-accounts';
import { PresentCredentialDto, RecordLivenessVerdictDto, SubmitFaceProbeDto } from './gateway.dto';

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
    if (started.status !== 'awaiting_liveness') return replyForStep((await this.checkouts.get(checkoutId)).step);
    // "inconclusive" is not a pass: the checkout records it as not live, and the terminal offers phone + PIN instead.
    const verdict = body.verdict === 'live' ? 'live' : 'spoof';
    const step = await this.checkouts.recordLiveness({ checkoutId, verdict, score: body.scores['fused'] ?? null, at }, context);
    return replyForStep(step);
  }

  @Post('face-probe')
  @HttpCode(200)
  async faceProbe(@Param('checkoutId', ParseUUIDPipe) checkoutId: string, @Body() body: SubmitFaceProbeDto): Promise<SubmitFaceProbeReply & { credentialId?: string }> {
    assertSameCheckout(checkoutId, body.checkout.checkoutId);
    const context = gatewayContext(body.checkout.terminalId, checkoutId);
    const at = new Date();
    const embedding = decodeEmbedding(body.embedding);
    const current = await this.checkouts.get(checkoutId);
    const step =
      current.step?.next === 'phone'
        ? await this.checkouts.submitPhoneFactor({ checkoutId, digits: body.phoneDigits, probe: { embedding, modelVersion: body.modelVersions[EMBEDDING_MODEL_KEY] ?? 'unknown' }, at }, context)
        : current.step;
    // A retry after a crash between the hold and its capture finishes the capture: answering "authorized" alone
    // would leave the customer's money held and the merchant unpaid (found by the kill -9 drill, tools/drills).
    if (step?.next === 'capture') return decisionForStep(await this.checkouts.capture({ checkoutId, at }, context), checkoutId);
    if (step?.next !== 'authorize') return decisionForStep(step, checkoutId);
    const authorized = await this.checkouts.authorize(
      { checkoutId, credentialId: step.credentialId, terminalId: body.checkout.terminalId, terminalSessionId: checkoutId, transferId: derivedId('authorize', checkoutId), at },
      context,
    );
    if (authorized.outcome === 'declined') return { decision: 'declined', reason: authorized.reason, credentialId: step.credentialId };
    const captured = await this.checkouts.capture({ checkoutId, at: new Date() }, context);
    return { ...decisionForStep(captured, checkoutId), credentialId: step.credentialId };
  }

  /** Presents a face credential: the first use authorizes; any later use is declined as credential_reused. */
  @Post('authorize')
  @HttpCode(200)
  async authorize(@Param('checkoutId', ParseUUIDPipe) checkoutId: string, @Body() body: PresentCredentialDto) {
    const context = gatewayContext(body.terminalId, checkoutId);
    return this.checkouts.authorize({ checkoutId, ...body, at: new Date() }, context);
  }
}

function gatewayContext(terminalId: string, checkoutId: string) {
  return { correlationId: checkoutId, causationId: randomUUID(), actor: `terminal:${terminalId}` };
}

function assertSameCheckout(path: string, body: string): void {
  if (path !== body) throw new DomainError('checkout_id_mismatch', 'the path and the body name different checkouts', 'invalid', { path, body });
}

function replyForStep(step: CheckoutStep | null): RecordLivenessVerdictReply {
  if (step?.next === 'phone') {
    return { accepted: true, phonePrompt: { digitsRequested: step.digits, kind: step.digits === 11 ? 'full_number' : 'last_digits' } };
  }
  return { accepted: false };
}

function decisionForStep(step: CheckoutStep | null, checkoutId: string): SubmitFaceProbeReply {
  if (step?.next === 'capture' || (step?.next === 'done' && step.status === 'captured')) return { decision: 'authorized', paymentId: checkoutId };
  if (step?.next === 'declined') return { decision: 'declined', reason: step.reason };
  if (step?.next === 'pin') return { decision: 'declined', reason: 'pin_required' };
  return { decision: 'declined', reason: step ? `unexpected_step_${step.next}` : 'checkout_not_started' };
}
