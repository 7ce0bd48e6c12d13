import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { CheckoutErrorCode, validateSessionStart } from '@smilepay/checkout/contracts';
import { ApiClient } from '../api-client/api-client.port';
import { BoundedLimiter } from '../common/bounded-limiter';
import { GATEWAY_CONFIG } from '../config/config.module';
import type { GatewayConfig } from '../config/gateway-config';
import type { TerminalKey } from '../config/terminal-keys';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import { StageStats } from '../metrics/stage-stats';
import { checkoutContextFor } from './checkout-id';
import { CheckoutSession, SessionListener } from './checkout-session';
import { FrameAnalyzer } from './frame-analyzer.port';
import { EVIDENCE_POLICY } from './evidence-policy';
import type { EvidencePolicy } from './liveness-evidence';
import { defaultPhonePrompt } from './phone-rule';

export type OpenResult =
  | { ok: true; session: CheckoutSession }
  | { ok: false; code: CheckoutErrorCode; message: string; status: 400 | 403 | 409 | 503 };

/**
 * The live sessions of this gateway instance, capped at maxConcurrentSessions. A session leaves the registry when
 * it ends, whatever ends it, so the cap counts only sessions that still hold resources.
 */
@Injectable()
export class CheckoutSessions implements OnApplicationShutdown {
  private readonly logger = new Logger('CheckoutSessions');
  readonly #active = new Map<string, CheckoutSession>();
  readonly #limiter: BoundedLimiter;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly analyzer: FrameAnalyzer,
    private readonly api: ApiClient,
    private readonly stats: StageStats,
    @Inject(EVIDENCE_POLICY) private readonly policy: EvidencePolicy,
    private readonly metrics: GatewayMetrics,
  ) {
    this.#limiter = new BoundedLimiter(config.limits.maxAnalysesInFlight, config.limits.maxAnalysesWaiting);
    metrics.readSessionsFrom(() => this.#active.size);
    metrics.readQueueFrom('analysis_waiting', () => this.#limiter.waiting);
    metrics.readQueueFrom('analysis_in_flight', () => this.#limiter.active);
    metrics.readQueueFrom('analysis_thread_queue', () => analyzer.queuedFrames);
  }

  open(key: TerminalKey, input: unknown, listener: SessionListener, options: { rateLimited: boolean }): OpenResult {
    const checked = validateSessionStart(input);
    if (!checked.ok) return { ok: false, code: CheckoutErrorCode.InvalidRequest, message: checked.problems.join('; '), status: 400 };
    const owned = checkoutContextFor(key, checked.value, this.logger);
    if (!owned.ok) return owned;
    const { context } = owned;
    const checkoutId = context.checkoutId;
    if (this.#active.has(checkoutId)) {
      return { ok: false, code: CheckoutErrorCode.SessionDuplicate, message: 'a session with this idempotency key is in progress', status: 409 };
    }
    if (this.#active.size >= this.config.limits.maxConcurrentSessions) {
      this.stats.count('session.limit_reached');
      return { ok: false, code: CheckoutErrorCode.SessionLimitReached, message: 'the gateway is at its session limit; retry shortly', status: 503 };
    }
    const limits = options.rateLimited ? this.config.limits : { ...this.config.limits, maxFps: Number.MAX_SAFE_INTEGER, frameBurst: Number.MAX_SAFE_INTEGER };
    const session = new CheckoutSession(
      context,
      {
        limits,
        analyzer: this.analyzer,
        analysisLimiter: this.#limiter,
        api: this.api,
        policy: this.policy,
        phonePrompt: (ctx) => defaultPhonePrompt(ctx, this.config.phone),
        stats: this.stats,
        logger: this.logger,
      },
      listener,
    );
    this.#active.set(checkoutId, session);
    this.stats.count('session.opened');
    void session.done.then((result) => {
      this.#active.delete(checkoutId);
      this.metrics.sessionFinished(session, result);
    });
    return { ok: true, session };
  }

  find(checkoutId: string): CheckoutSession | undefined {
    return this.#active.get(checkoutId);
  }

  get activeCount(): number {
    return this.#active.size;
  }

  onApplicationShutdown(): void {
    for (const session of this.#active.values()) session.abandon();
  }
}
