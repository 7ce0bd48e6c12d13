import { setTimeout as delay } from 'node:timers/promises';

export interface RetryPolicy {
  /** Attempts for one batch (or one subscription start) before the projection is stopped. */
  maxAttempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 8, initialDelayMs: 50, maxDelayMs: 5000 };

/** Exponential backoff capped at maxDelayMs, with up to 20% jitter so two instances do not retry in lockstep. */
export function backoffDelayMs(policy: RetryPolicy, attempt: number): number {
  const exponential = policy.initialDelayMs * 2 ** Math.min(Math.max(attempt - 1, 0), 30);
  const capped = Math.min(exponential, policy.maxDelayMs);
  return Math.round(capped * (0.8 + Math.random() * 0.2));
}

/** Sleeps, returning early (without throwing) when the signal aborts. */
export async function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return;
  try {
    await delay(ms, undefined, { signal });
  } catch (error) {
    if (!signal.aborted) throw error;
  }
}
