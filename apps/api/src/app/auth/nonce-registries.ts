import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { NonceRegistries } from '@smilepay/shared/request-signing';

export const NONCE_REGISTRIES = Symbol('NONCE_REGISTRIES');

/** Closes the nonce registries' Redis connection when the api shuts down. */
@Injectable()
export class NonceRegistriesLifecycle implements OnApplicationShutdown {
  constructor(@Inject(NONCE_REGISTRIES) private readonly registries: NonceRegistries) {}

  async onApplicationShutdown(): Promise<void> {
    await this.registries.close();
  }
}

export const nonceLogger = new Logger('Nonces');
