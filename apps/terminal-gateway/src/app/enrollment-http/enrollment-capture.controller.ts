import { Controller, HttpCode, Inject, Logger, Post, Req } from '@nestjs/common';
import { CheckoutErrorCode, enrollmentHttpPaths, type SubmitEnrollmentCaptureReply } from '@smilepay/checkout/contracts';
import { ApiClient, ApiClientError } from '../api-client/api-client.port';
import { encodeEmbedding } from '../checkout/commands';
import { EVIDENCE_POLICY } from '../checkout/evidence-policy';
import { FrameAnalyzer, FrameRejected } from '../checkout/frame-analyzer.port';
import { LivenessEvidence, type EvidencePolicy } from '../checkout/liveness-evidence';
import { BodyError, parseCheckoutBody } from '../checkout-http/checkout-body';
import type { RequestWithBody } from '../checkout-http/body-reader.middleware';
import { GatewayHttpError } from '../checkout-http/gateway-http-error';
import { GATEWAY_CONFIG } from '../config/config.module';
import type { GatewayConfig } from '../config/gateway-config';
import { TerminalAuthService } from '../terminal-auth/terminal-auth.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Face capture at enrollment, through exactly the gates a checkout uses: the same decoding limits, face pipeline,
 * quality gate and liveness fusion (depth relief plus the smile challenge). Only a live capture becomes a template;
 * the frames themselves go nowhere, and the api receives the best frame's embedding.
 */
@Controller(enrollmentHttpPaths.capture.slice(1))
export class EnrollmentCaptureController {
  private readonly logger = new Logger('EnrollmentCapture');

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(EVIDENCE_POLICY) private readonly policy: EvidencePolicy,
    private readonly auth: TerminalAuthService,
    private readonly analyzer: FrameAnalyzer,
    private readonly api: ApiClient,
  ) {}

  @Post()
  @HttpCode(200)
  async capture(@Req() req: RequestWithBody): Promise<SubmitEnrollmentCaptureReply> {
    const verified = await this.auth.verifyHttp(req, req.rawBody ?? Buffer.alloc(0));
    if (!verified.ok) throw new GatewayHttpError(verified.status, verified.code, verified.message);
    const { session: enrollment, frames } = this.parse(req);
    const evidence = new LivenessEvidence(this.policy);
    for (const frame of frames) {
      try {
        evidence.add(frame.seq, frame.capturedAtMs, await this.analyzer.analyze(frame));
      } catch (error) {
        if (!(error instanceof FrameRejected)) throw error;
        // One bad frame fails the capture: an enrollment is done once, under supervision, and must be clean.
        throw new GatewayHttpError(422, error.code, `frame ${frame.seq}: ${error.message}`);
      }
    }
    const verdict = evidence.decide();
    const best = evidence.best;
    if (verdict.verdict !== 'live' || !best) {
      const code = verdict.verdict === 'spoof' ? CheckoutErrorCode.LivenessSpoof : CheckoutErrorCode.LivenessInconclusive;
      this.logger.warn(`enrollment capture refused for terminal ${verified.key.terminalId}: ${verdict.verdict} (${verdict.reasons.join('; ')})`);
      throw new GatewayHttpError(422, code, `liveness ${verdict.verdict}: capture again`);
    }
    try {
      return await this.api.submitEnrollmentCapture(enrollment.customerId, {
        templateRef: enrollment.templateRef,
        embedding: { encoding: 'float32le-base64', dimensions: best.analysis.embedding.length, data: encodeEmbedding(best.analysis.embedding) },
        quality: best.analysis.quality.score,
        modelVersion: best.analysis.modelVersions['fr_feature'] ?? 'unknown',
        livenessVerdict: verdict.verdict,
        livenessScores: Object.fromEntries(Object.entries(verdict.scores).filter((entry): entry is [string, number] => typeof entry[1] === 'number')),
        terminalId: verified.key.terminalId,
      });
    } catch (error) {
      if (error instanceof ApiClientError) throw new GatewayHttpError(error.code === CheckoutErrorCode.ApiUnavailable ? 503 : 422, error.code, error.message);
      throw error;
    }
  }

  private parse(req: RequestWithBody) {
    try {
      const body = parseCheckoutBody(req.headers['content-type'], req.rawBody ?? Buffer.alloc(0), this.config.limits.maxFramesPerSession);
      const enrollment = body.session as { customerId?: unknown; templateRef?: unknown } | undefined;
      if (typeof enrollment?.customerId !== 'string' || !UUID.test(enrollment.customerId) || typeof enrollment.templateRef !== 'string' || !UUID.test(enrollment.templateRef)) {
        throw new GatewayHttpError(400, CheckoutErrorCode.InvalidRequest, 'enrollment must be { customerId: uuid, templateRef: uuid }');
      }
      if (body.frames.length === 0 || body.frames.length > this.config.limits.maxFramesPerSession) {
        throw new GatewayHttpError(400, CheckoutErrorCode.InvalidRequest, `an enrollment capture needs 1 to ${this.config.limits.maxFramesPerSession} frames`);
      }
      return { session: { customerId: enrollment.customerId, templateRef: enrollment.templateRef }, frames: body.frames };
    } catch (error) {
      if (error instanceof BodyError) throw new GatewayHttpError(error.status, error.code, error.message);
      throw error;
    }
  }
}
