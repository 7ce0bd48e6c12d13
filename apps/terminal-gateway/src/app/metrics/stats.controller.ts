import { Controller, Get, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { internalAuthHeaders } from '@smilepay/checkout/contracts';
import { NonceRegistries, RequestVerifier, SigningKey, sha256Hex } from '@smilepay/shared/request-signing';
import type { RequestWithBody } from '../checkout-http/body-reader.middleware';
import { GatewayHttpError } from '../checkout-http/gateway-http-error';
import { CheckoutSessions } from '../checkout/checkout-sessions';
import { GATEWAY_CONFIG } from '../config/config.module';
import type { GatewayConfig } from '../config/gateway-config';
import { StageStats } from './stage-stats';
import { toWire } from '../terminal-auth/terminal-auth.service';
import { NONCE_REGISTRIES } from '../terminal-auth/nonce-registries.provider';

/**
 * Per-stage latency percentiles and counters, for the benchmark and operators. Signed with the internal token
 * (the same scheme as gateway → api), because stage timings are reconnaissance material for an attacker.
 */
@Controller('internal/v1/stats')
export class StatsController {
  private readonly verifier: RequestVerifier<SigningKey>;

  constructor(
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
    private readonly stats: StageStats,
    private readonly sessions: CheckoutSessions,
    @Inject(NONCE_REGISTRIES) registries: NonceRegistries,
  ) {
    const key = { keyId: config.api.keyId, secret: config.api.token };
    this.verifier = new RequestVerifier([key], { windowMs: config.auth.windowMs, nonces: registries.registry('gateway-stats', config.auth.nonceTtlMs, 10_000) });
  }

  @Get()
  async read(@Req() req: RequestWithBody) {
    await this.authenticate(req);
    return { ...this.stats.summary(), activeSessions: this.sessions.activeCount, memoryRssBytes: process.memoryUsage().rss };
  }

  @Post('reset')
  @HttpCode(200)
  async reset(@Req() req: RequestWithBody) {
    await this.authenticate(req);
    this.stats.reset();
    return { ok: true };
  }

  private async authenticate(req: RequestWithBody): Promise<void> {
    const header = (name: string) => {
      const v = req.headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    const verified = toWire(await this.verifier.verify({
      method: req.method ?? 'GET',
      path: req.originalUrl ?? req.url ?? '',
      keyId: header(internalAuthHeaders.keyId),
      timestamp: header(internalAuthHeaders.timestamp),
      nonce: header(internalAuthHeaders.nonce),
      signature: header(internalAuthHeaders.signature),
      bodySha256Hex: sha256Hex(req.rawBody ?? Buffer.alloc(0)),
    }));
    if (!verified.ok) throw new GatewayHttpError(verified.status, verified.code, verified.message);
  }
}
