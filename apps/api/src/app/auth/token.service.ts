import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Role } from '@smilepay/shared/contracts';

export interface TokenClaims {
  sub: string;
  role: Role;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

const ROLES: readonly Role[] = ['analyst', 'auditor', 'admin'];

/**
 * Compact signed bearer tokens: base64url(JSON claims) + '.' + base64url(HMAC-SHA256).
 * Stateless, so any api instance behind a load balancer verifies any other's tokens given the same secret.
 */
export class TokenService {
  private readonly secret: Buffer;

  constructor(secret: string | undefined, private readonly ttlSeconds = 8 * 3600) {
    // Without a configured secret, tokens only live as long as this process: safe for the demo, not for a cluster.
    this.secret = secret ? Buffer.from(secret) : randomBytes(32);
  }

  issue(sub: string, role: Role, nowMs: number): { token: string; expiresAt: string } {
    const exp = Math.floor(nowMs / 1000) + this.ttlSeconds;
    const payload = Buffer.from(JSON.stringify({ sub, role, exp })).toString('base64url');
    return { token: `${payload}.${this.sign(payload)}`, expiresAt: new Date(exp * 1000).toISOString() };
  }

  /** Returns the claims, or undefined for anything malformed, forged or expired. */
  verify(token: string | undefined, nowMs: number): TokenClaims | undefined {
    if (!token || token.length > 2048) return undefined;
    const [payload, signature, extra] = token.split('.');
    if (!payload || !signature || extra !== undefined) return undefined;
    const expected = Buffer.from(this.sign(payload));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    try {
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as TokenClaims;
      if (typeof claims.sub !== 'string' || !ROLES.includes(claims.role) || typeof claims.exp !== 'number') return undefined;
      return claims.exp * 1000 > nowMs ? claims : undefined;
    } catch {
      return undefined;
    }
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.secret).update(payload).digest('base64url');
  }
}
