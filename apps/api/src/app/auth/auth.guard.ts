import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '@smilepay/shared/contracts';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { INTERNAL_KEY, PUBLIC_KEY, ROLES_KEY } from './roles';
import { TokenService, type TokenClaims } from './token.service';

export const INTERNAL_TOKEN = Symbol('INTERNAL_TOKEN');

export type AuthenticatedRequest = Request & { user?: TokenClaims };

/** Global guard: closed by default; @Public, @Internal or @Roles open a route to exactly those callers. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    @Inject(INTERNAL_TOKEN) private readonly internalToken: string,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const bearer = bearerToken(request.headers.authorization);

    if (this.reflector.getAllAndOverride<boolean>(INTERNAL_KEY, targets)) {
      if (bearer && sameSecret(bearer, this.internalToken)) return true;
      throw new UnauthorizedException({ code: 'internal_auth_required', message: 'internal token required', details: {} });
    }

    const claims = this.tokens.verify(bearer, Date.now());
    if (!claims) throw new UnauthorizedException({ code: 'unauthenticated', message: 'a valid bearer token is required', details: {} });
    request.user = claims;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (!roles || !roles.includes(claims.role)) {
      throw new ForbiddenException({ code: 'forbidden', message: `role ${claims.role} may not do this`, details: { role: claims.role } });
    }
    return true;
  }
}

export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const [scheme, token] = header.split(' ');
  return scheme?.toLowerCase() === 'bearer' && token ? token : undefined;
}

/** Constant-time comparison of two secrets of any length. */
function sameSecret(a: string, b: string): boolean {
  const da = createHash('sha256').update(a).digest();
  const db = createHash('sha256').update(b).digest();
  return timingSafeEqual(da, db);
}
