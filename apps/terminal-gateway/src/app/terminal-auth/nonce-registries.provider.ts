import { Inject, Injectable, Logger, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { openNonceRegistries, type NonceRegistries } from '@smilepay/shared/request-signing';
import { GATEWAY_CONFIG } from '../config/config.module';
import type { GatewayConfig } from '../config/gateway-config';

export const NONCE_REGISTRIES = Symbol('NONCE_REGISTRIES');

const logger = new Logger('Nonces');

/**
 * Behind a load balancer a terminal's signed request can reach any gateway; with REDIS_URL every gateway claims
 * nonces in Redis, so a request replayed to another gateway is refused there too.
 */
export const nonceRegistriesProvider: Provider = {
  provide: NONCE_REGISTRIES,
  inject: [GATEWAY_CONFIG],
  useFactory: async (config: GatewayConfig): Promise<NonceRegistries> => {
    const registries = await openNonceRegistries(config.auth.redisUrl, (message) => logger.warn(`redis: ${message}`));
    logger.log(registries.shared ? 'terminal nonces are shared through Redis' : 'terminal nonces are kept in memory (single instance)');
    return registries;
  },
};

/** Closes the registries' Redis connection at shutdown. */
@Injectable()
export class NonceRegistriesLifecycle implements OnApplicationShutdown {
  constructor(@Inject(NONCE_REGISTRIES) private readonly registries: NonceRegistries) {}

  async onApplicationShutdown(): Promise<void> {
    await this.registries.close();
  }
}
