import type { LoginResponse, Role } from '@smilepay/shared/contracts';

/** The sessionStorage key: the token lives for the tab only, never in localStorage or a cookie we manage. */
export const SESSION_STORAGE_KEY = 'smilepay.dashboard.session';

const roles: readonly Role[] = ['analyst', 'auditor', 'admin'];

/** Roles that may change things (alerts, claims); auditors only read. */
const actingRoles: readonly Role[] = ['analyst', 'admin'];

export function canActAs(role: Role | undefined): boolean {
  return role !== undefined && actingRoles.includes(role);
}

/** Checks the shape of a login response, whether it came from the api or from storage someone could edit. */
export function asSession(value: unknown): LoginResponse | null {
  if (typeof value !== 'object' || value === null) return null;
  const candidate = value as Record<string, unknown>;
  const { token, role, username, expiresAt } = candidate;
  if (typeof token !== 'string' || token.length === 0) return null;
  if (typeof role !== 'string' || !roles.includes(role as Role)) return null;
  if (typeof username !== 'string' || typeof expiresAt !== 'string' || Number.isNaN(Date.parse(expiresAt))) return null;
  return { token, role: role as Role, username, expiresAt };
}

export function isExpired(session: LoginResponse, nowMs: number): boolean {
  return Date.parse(session.expiresAt) <= nowMs;
}

export function readStoredSession(storage: Storage | undefined): LoginResponse | null {
  if (!storage) return null;
  try {
    const raw = storage.getItem(SESSION_STORAGE_KEY);
    return raw === null ? null : asSession(JSON.parse(raw));
  } catch {
    // Unparseable storage is treated as no session; the user signs in again.
    return null;
  }
}

/**
 * Where to go after signing in. Only in-app paths are accepted so a crafted link cannot send a signed-in user to
 * another site.
 */
export function safeReturnUrl(candidate: string | null | undefined): string {
  if (!candidate || !candidate.startsWith('/') || candidate.startsWith('//') || candidate.startsWith('/login')) {
    return '/live';
  }
  return candidate;
}
