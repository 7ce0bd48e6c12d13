import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import type { ApiConfig } from '../config/api-config';
import { AuthController } from './auth.controller';
import { nonceTtlMs, signatureWindowMs } from '@smilepay/shared/contracts';
import { NonceRegistries, openNonceRegistries, RequestVerifier, Secret } from '@smilepay/shared/request-signing';
import { NONCE_REGISTRIES, NonceRegistriesLifecycle, nonceLogger } from './nonce-registries';
import { AuthGuard, INTERNAL_VERIFIER } from './auth.guard';
import { TokenService } from './token.service';
import { DEMO_USERS, UserDirectory } from './user-directory';

@Global()
@Module({
  controllers: [AuthController],
  providers: [
    { provide: TokenService, inject: [ConfigService], useFactory: (c: ConfigService) => new TokenService(c.getOrThrow<ApiConfig>('api').tokenSecret) },
    { provide: UserDirectory, inject: [ConfigService], useFactory: (c: ConfigService) => new UserDirectory(c.getOrThrow<ApiConfig>('api').dashboardUsers ?? DEMO_USERS) },
    {
      // With REDIS_URL every api instance claims nonces in Redis, so a signed call replayed to another instance fails.
      provide: NONCE_REGISTRIES,
      inject: [ConfigService],
      useFactory: async (c: ConfigService) => {
        const registries = await openNonceRegistries(c.getOrThrow<ApiConfig>('api').redisUrl, (message) => nonceLogger.warn(`redis: ${message}`));
        nonceLogger.log(registries.shared ? 'signed-call nonces are shared through Redis' : 'signed-call nonces are kept in memory (single instance)');
        return registries;
      },
    },
    NonceRegistriesLifecycle,
    {
      provide: INTERNAL_VERIFIER,
      inject: [ConfigService, NONCE_REGISTRIES],
      useFactory: (c: ConfigService, registries: NonceRegistries) => {
        const { internalApiKeyId, internalApiToken } = c.getOrThrow<ApiConfig>('api');
        return new RequestVerifier([{ keyId: internalApiKeyId, secret: new Secret(internalApiToken) }], {
          windowMs: signatureWindowMs,
          nonces: registries.registry('api-internal', nonceTtlMs, 100_000),
        });
      },
    },
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [TokenService],
})
export class AuthModule {}
