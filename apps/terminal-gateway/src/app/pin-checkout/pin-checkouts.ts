import { Inject, Injectable, Logger } from '@nestjs/common';
import { CheckoutErrorCode, CheckoutResult, validatePinCheckout } from '@smilepay/checkout/contracts';
import { ApiClient, ApiClientError } from '../api-client/api-client.port';
import { checkoutContextFor } from '../checkout/checkout-id';
import { GATEWAY_CONFIG } from '../config/config.module';
import type { GatewayConfig } from '../config/gateway-config';
import type { TerminalKey } from '../config/terminal-keys';
import { StageStats } from '../metrics/stage-stats';

export type PinCheckoutOutcome = { ok: true; result: CheckoutResult } | { ok: false; status: 400 | 403 | 503; code: CheckoutErrorCode; message: string };

/**
 * Phone + PIN without a face, for both transports. No frames, so no session: one validated call to the api, bounded
 * by the same cap as face sessions. The PIN passes through in memory only; it is never logged.
 */
@Injectable()
export class PinCheckouts {
  private readonly logger = new Logger('PinCheckouts');
  #inFlight = 0;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly api: ApiClient,
    private readonly stats: StageStats,
  ) {}

  async pay(key: TerminalKey, input: unknown): Promise<PinCheckoutOutcome> {
    const checked = validatePinCheckout(input);
    if (!checked.ok) return { ok: false, status: 400, code: CheckoutErrorCode.InvalidRequest, message: checked.problems.join('; ') };
    const owned = checkoutContextFor(key, checked.value.session, this.logger);
    if (!owned.ok) return owned;
    if (this.#inFlight >= this.config.limits.maxConcurrentSessions) {
      this.stats.count('pin_checkout.limit_reached');
      return { ok: false, status: 503, code: CheckoutErrorCode.SessionLimitReached, message: 'the gateway is at its session limit; retry shortly' };
    }
    const { context } = owned;
    this.#inFlight++;
    const startedMs = performance.now();
    try {
      const reply = await this.api.startPinCheckout({ type: 'StartPinCheckout', checkout: context, phoneNumber: checked.value.phoneNumber, pin: checked.value.pin });
      const outcome = reply.decision === 'authorized' ? 'authorized' : 'declined';
      this.stats.count(`pin_checkout.${outcome}`);
      return { ok: true, result: { checkoutId: context.checkoutId, outcome, ...(reply.reason ? { code: reply.reason } : {}), liveness: null, ...(reply.paymentId ? { paymentId: reply.paymentId } : {}), decidedAt: new Date().toISOString() } };
    } catch (error) {
      const code = error instanceof ApiClientError ? error.code : CheckoutErrorCode.Internal;
      this.logger.warn(`PIN checkout ${context.checkoutId}: api failed (${code}): ${(error as Error).message}`);
      return { ok: true, result: { checkoutId: context.checkoutId, outcome: 'error', code, liveness: null, decidedAt: new Date().toISOString() } };
    } finally {
      this.#inFlight--;
      this.stats.record('api_pin_checkout', performance.now() - startedMs);
    }
  }
}
