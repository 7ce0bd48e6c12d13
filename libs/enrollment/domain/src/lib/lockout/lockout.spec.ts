import {
  FACE_LOCKOUT_BASE_COOLDOWN_MS,
  FACE_LOCKOUT_MAX_COOLDOWN_MS,
  cooldownElapsed,
  cooldownMsFor,
  failureLimit,
  isCoolingDown,
} from './lockout';

describe('face lockout rule (NIST SP 800-63B)', () => {
  it('allows 5 consecutive failures without liveness and 10 with it', () => {
    expect(failureLimit(false)).toBe(5);
    expect(failureLimit(true)).toBe(10);
  });

  it('imposes no cooldown below the limit', () => {
    expect(cooldownMsFor(4, false)).toBeNull();
    expect(cooldownMsFor(9, true)).toBeNull();
  });

  it('doubles the cooldown with every failure past the limit, up to a cap', () => {
    expect(cooldownMsFor(5, false)).toBe(FACE_LOCKOUT_BASE_COOLDOWN_MS);
    expect(cooldownMsFor(6, false)).toBe(2 * FACE_LOCKOUT_BASE_COOLDOWN_MS);
    expect(cooldownMsFor(7, false)).toBe(4 * FACE_LOCKOUT_BASE_COOLDOWN_MS);
    expect(cooldownMsFor(10, true)).toBe(FACE_LOCKOUT_BASE_COOLDOWN_MS);
    expect(cooldownMsFor(1_000, false)).toBe(FACE_LOCKOUT_MAX_COOLDOWN_MS);
  });

  it('tells cooling down from cooldown elapsed', () => {
    const locked = { consecutiveFailures: 5, lockedUntilMs: 1_000 };
    expect(isCoolingDown(locked, 999)).toBe(true);
    expect(cooldownElapsed(locked, 999)).toBe(false);
    expect(isCoolingDown(locked, 1_000)).toBe(false);
    expect(cooldownElapsed(locked, 1_000)).toBe(true);
    expect(isCoolingDown({ consecutiveFailures: 0, lockedUntilMs: null }, 0)).toBe(false);
  });
});
