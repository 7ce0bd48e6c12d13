import { CanActivate, ExecutionContext, ForbiddenException, HttpException, Inject, Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '@smilepay/shared/contracts';
import { emptyBodySha256Hex } from '@smilepay/shared/contracts';
import { RequestVerifier, type SigningKey } from '@smilepay/shared/request-signing';
import type { Request } from 'express';
import { INTERNAL_KEY, PUBLIC_KEY, ROLES_KEY } from './roles';
import { TokenService, type TokenClaims } from './token.service';

export const INTERNAL_VERIFIER = Symbol('INTERNAL_VERIFIER');

export const INTERNAL_HEADERS = { keyId: 'x-internal-key-id', timestamp: 'x-internal-timestamp', nonce: 'x-internal-nonce', signature: 'x-internal-signature' } as const;

export type AuthenticatedRequest = Request & { user?: TokenClaims; bodySha256?: string };

/** Global guard: closed by default; @Public, @Internal or @Roles open a route to exactly those callers. */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger('Auth');

  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    @Inject(INTERNAL_VERIFIER) private readonly internal: RequestVerifier<SigningKey>,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();

    if (this.reflector.getAllAndOverride<boolean>(INTERNAL_KEY, targets)) return this.verifyInternal(request);

    const claims = this.tokens.verify(bearerToken(request.headers.authorization), Date.now());
    if (!claims) throw new UnauthorizedException({ code: 'unauthenticated', message: 'a valid bearer token is required', details: {} });
    request.user = claims;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (!roles || !roles.includes(claims.role)) {
      throw new ForbiddenException({ code: 'forbidden', message: `role ${claims.role} may not do this`, details: { role: claims.role } });
    }
    return true;
  }

  /** Gateway → api calls are signed like terminal calls: HMAC over method, path, time, nonce and the body's digest. */
  private async verifyInternal(request: AuthenticatedRequest): Promise<boolean> {
    const header = (name: string) => {
      const value = request.headers[name];
      return typeof value === 'string' ? value : undefined;
    };
    const result = await this.internal.verify({
      method: request.method,
      path: request.originalUrl,
      keyId: header(INTERNAL_HEADERS.keyId),
      timestamp: header(INTERNAL_HEADERS.timestamp),
      nonce: header(INTERNAL_HEADERS.nonce),
      signature: header(INTERNAL_HEADERS.signature),
      bodySha256Hex: request.bodySha256 ?? emptyBodySha256Hex,
    });
    if (result.ok) return true;
    this.logger.warn(`refused internal call ${request.method} ${request.originalUrl}: ${result.code} (key ${result.keyId ?? 'none'})`);
    throw new HttpException({ code: result.code, message: result.message, details: {} }, result.status);
  }
}

export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const [scheme, token] = header.split(' ');
  return scheme?.toLowerCase() === 'bearer' && token ? token : undefined;
}
