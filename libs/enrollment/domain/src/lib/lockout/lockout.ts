/**
 * Face-payment lockout, after NIST SP 800-63B §5.2.3 (biometric authenticators): at most 5 consecutive failed
 * attempts, or 10 when presentation attack detection (liveness) is in place. Once the limit is reached every further
 * failure imposes a delay that grows exponentially (at least 30 s in NIST; minutes here, because a payment terminal
 * under attack should cool down for longer). A successful attempt resets the count.
 *
 * The same rule runs per customer (one face attacked at many shops) and per terminal (one shop attacked with many
 * faces). Pure functions over a small state: callers keep it inside their own decider state.
 */
export const FACE_FAILURE_LIMIT = 5;
export const FACE_FAILURE_LIMIT_WITH_LIVENESS = 10;
export const FACE_LOCKOUT_BASE_COOLDOWN_MS = 5 * 60_000;
export const FACE_LOCKOUT_MAX_COOLDOWN_MS = 24 * 60 * 60_000;

export interface LockoutState {
  consecutiveFailures: number;
  /** Epoch ms until which face payment is suspended; null when not locked. */
  lockedUntilMs: number | null;
}

export const initialLockout = (): LockoutState => ({ consecutiveFailures: 0, lockedUntilMs: null });

export function failureLimit(livenessEnabled: boolean): number {
  return livenessEnabled ? FACE_FAILURE_LIMIT_WITH_LIVENESS : FACE_FAILURE_LIMIT;
}

/** Locked and still cooling down at `atMs`. */
export function isCoolingDown(state: LockoutState, atMs: number): boolean {
  return state.lockedUntilMs !== null && atMs < state.lockedUntilMs;
}

/** Locked, but the cooldown has run out: the next attempt first records the unlock. */
export function cooldownElapsed(state: LockoutState, atMs: number): boolean {
  return state.lockedUntilMs !== null && atMs >= state.lockedUntilMs;
}

/**
 * The cooldown a failure count imposes, or null below the limit. It doubles with each failure past the limit
 * (limit → base, limit+1 → 2×base, …) and is capped, so the delay stays bounded.
 */
export function cooldownMsFor(consecutiveFailures: number, livenessEnabled: boolean): number | null {
  const limit = failureLimit(livenessEnabled);
  if (consecutiveFailures < limit) return null;
  const doublings = Math.min(consecutiveFailures - limit, 20);
  return Math.min(FACE_LOCKOUT_BASE_COOLDOWN_MS * 2 ** doublings, FACE_LOCKOUT_MAX_COOLDOWN_MS);
}
