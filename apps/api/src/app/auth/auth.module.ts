import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import type { ApiConfig } from '../config/api-config';
import { AuthController } from './auth.controller';
import { AuthGuard, INTERNAL_TOKEN } from './auth.guard';
import { TokenService } from './token.service';
import { DEMO_USERS, UserDirectory } from './user-directory';

@Global()
@Module({
  controllers: [AuthController],
  providers: [
    { provide: TokenService, inject: [ConfigService], useFactory: (c: ConfigService) => new TokenService(c.getOrThrow<ApiConfig>('api').tokenSecret) },
    { provide: UserDirectory, inject: [ConfigService], useFactory: (c: ConfigService) => new UserDirectory(c.getOrThrow<ApiConfig>('api').dashboardUsers ?? DEMO_USERS) },
    { provide: INTERNAL_TOKEN, inject: [ConfigService], useFactory: (c: ConfigService) => c.getOrThrow<ApiConfig>('api').internalApiToken },
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [TokenService, INTERNAL_TOKEN],
})
export class AuthModule {}
