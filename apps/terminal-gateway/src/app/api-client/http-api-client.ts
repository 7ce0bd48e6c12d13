import { Logger } from '@nestjs/common';
import {
  CheckoutErrorCode,
  internalApiPaths,
  internalAuthHeaders,
  PaymentDecisionReply,
  RecordLivenessVerdict,
  RecordLivenessVerdictReply,
  SubmitEnrollmentCapture,
  SubmitEnrollmentCaptureReply,
  SubmitFaceProbe,
  SubmitFaceProbeReply,
  SubmitPin,
  StartPinCheckout,
} from '@smilepay/checkout/contracts';
import { signRequest, signatureHeaders } from '@smilepay/shared/request-signing';
import type { GatewayConfig } from '../config/gateway-config';
import { ApiClient, ApiClientError } from './api-client.port';

type Attempt = { kind: 'done'; body: unknown } | { kind: 'retry'; reason: string; status?: number } | { kind: 'refused'; status: number; reason: string };

/**
 * Posts commands to the api, signed with the internal shared secret. Each command is tried at most `maxAttempts`
 * times, each attempt bounded by `timeoutMs`, with the same Idempotency-Key every time so the api applies it once.
 * Retried: network errors, timeouts, 408, 429 and 5xx. Not retried: other 4xx (retrying cannot change the answer).
 */
export class HttpApiClient extends ApiClient {
  private readonly logger = new Logger('ApiClient');

  constructor(private readonly config: GatewayConfig['api']) {
    super();
  }

  async recordLivenessVerdict(command: RecordLivenessVerdict): Promise<RecordLivenessVerdictReply> {
    const id = command.checkout.checkoutId;
    const body = await this.post(internalApiPaths.liveness(id), command, `${id}:liveness`);
    const reply = (body ?? {}) as Partial<RecordLivenessVerdictReply>;
    return {
      accepted: reply.accepted !== false,
      phonePrompt: validPrompt(reply.phonePrompt),
      ...(typeof reply.reason === 'string' ? { reason: reply.reason } : {}),
      ...(reply.fallback === 'phone_pin' ? { fallback: reply.fallback } : {}),
    };
  }

  async submitFaceProbe(command: SubmitFaceProbe): Promise<SubmitFaceProbeReply> {
    const id = command.checkout.checkoutId;
    return decision(await this.post(internalApiPaths.faceProbe(id), command, `${id}:face-probe`));
  }

  async submitPin(command: SubmitPin): Promise<PaymentDecisionReply> {
    const id = command.checkout.checkoutId;
    return decision(await this.post(internalApiPaths.pin(id), command, `${id}:pin`));
  }

  async startPinCheckout(command: StartPinCheckout): Promise<PaymentDecisionReply> {
    const id = command.checkout.checkoutId;
    return decision(await this.post(internalApiPaths.pinCheckout(id), command, `${id}:pin-checkout`));
  }

  async submitEnrollmentCapture(customerId: string, command: SubmitEnrollmentCapture): Promise<SubmitEnrollmentCaptureReply> {
    const body = (await this.post(internalApiPaths.enrollmentCapture(customerId), command, `${command.templateRef}:enrollment`)) as Partial<SubmitEnrollmentCaptureReply> | null;
    if (!body || typeof body.outcome !== 'string') throw new ApiClientError(CheckoutErrorCode.ApiRejected, 'api answered without an enrollment outcome', 1);
    return { outcome: body.outcome, duplicateCheck: body.duplicateCheck ?? null, pinRequired: body.pinRequired === true };
  }

  private async post(path: string, command: unknown, idempotencyKey: string): Promise<unknown> {
    const body = JSON.stringify(command);
    let lastReason = 'no attempt made';
    for (let attempt = 1; attempt <= this.config.maxAttempts; attempt++) {
      const outcome = await this.attempt(path, body, idempotencyKey);
      if (outcome.kind === 'done') return outcome.body;
      if (outcome.kind === 'refused') {
        this.logger.warn(`POST ${path} refused with ${outcome.status} (${outcome.reason})`);
        throw new ApiClientError(CheckoutErrorCode.ApiRejected, `api refused: ${outcome.status}`, attempt, outcome.status);
      }
      lastReason = outcome.reason;
      this.logger.warn(`POST ${path} attempt ${attempt}/${this.config.maxAttempts} failed: ${outcome.reason}`);
      if (attempt < this.config.maxAttempts) await sleep(this.config.retryBaseDelayMs * 2 ** (attempt - 1));
    }
    throw new ApiClientError(CheckoutErrorCode.ApiUnavailable, `api unavailable: ${lastReason}`, this.config.maxAttempts);
  }

  private async attempt(path: string, body: string, idempotencyKey: string): Promise<Attempt> {
    const signed = signRequest(this.config.keyId, this.config.token.reveal(), 'POST', path, body);
    try {
      const response = await fetch(`${this.config.url}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [internalAuthHeaders.idempotencyKey]: idempotencyKey,
          ...signatureHeaders(internalAuthHeaders, signed),
        },
        body,
        signal: AbortSignal.timeout(this.config.timeoutMs),
      });
      // Read (and so release) the body on every path, bounded by the same timeout signal.
      const text = await response.text();
      if (response.ok) return { kind: 'done', body: text ? parseJson(text) : null };
      const retryable = response.status >= 500 || response.status === 408 || response.status === 429;
      return retryable ? { kind: 'retry', reason: `HTTP ${response.status}`, status: response.status } : { kind: 'refused', status: response.status, reason: text.slice(0, 200) };
    } catch (error) {
      const name = (error as Error).name;
      return { kind: 'retry', reason: name === 'TimeoutError' ? `timeout after ${this.config.timeoutMs} ms` : `${name}: ${(error as Error).message}` };
    }
  }
}

/** Only the fields a terminal may see, each checked: the api is trusted to be who it says, not to be bug-free. */
function decision(body: unknown): PaymentDecisionReply {
  const reply = (body ?? {}) as Partial<PaymentDecisionReply>;
  if (reply.decision !== 'authorized' && reply.decision !== 'declined' && reply.decision !== 'pin_required') {
    throw new ApiClientError(CheckoutErrorCode.ApiRejected, 'api answered without a decision', 1);
  }
  return {
    decision: reply.decision,
    ...(typeof reply.paymentId === 'string' ? { paymentId: reply.paymentId } : {}),
    ...(typeof reply.reason === 'string' ? { reason: reply.reason } : {}),
    ...(reply.fallback === 'phone_pin' ? { fallback: reply.fallback } : {}),
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function validPrompt(prompt: RecordLivenessVerdictReply['phonePrompt']): RecordLivenessVerdictReply['phonePrompt'] {
  if (!prompt || !Number.isInteger(prompt.digitsRequested) || prompt.digitsRequested < 2 || prompt.digitsRequested > 15) return undefined;
  return { digitsRequested: prompt.digitsRequested, kind: prompt.kind === 'full_number' ? 'full_number' : 'last_digits' };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
