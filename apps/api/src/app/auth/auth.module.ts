import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import type { ApiConfig } from '../config/api-config';
import { AuthController } from './auth.controller';
import { nonceTtlMs, signatureWindowMs } from '@smilepay/shared/contracts';
import { RequestVerifier, Secret } from '@smilepay/shared/request-signing';
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
      provide: INTERNAL_VERIFIER,
      inject: [ConfigService],
      useFactory: (c: ConfigService) => {
        const { internalApiKeyId, internalApiToken } = c.getOrThrow<ApiConfig>('api');
        return new RequestVerifier([{ keyId: internalApiKeyId, secret: new Secret(internalApiToken) }], signatureWindowMs, nonceTtlMs, 100_000);
      },
    },
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [TokenService],
})
export class AuthModule {}
