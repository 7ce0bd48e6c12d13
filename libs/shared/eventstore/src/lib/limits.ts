import type { SubscribeOptions } from './event-store.port';

/**
 * Bounds shared by every adapter, so both behave the same under the contract suite and no caller can ask a store
 * for an unbounded amount of work or memory.
 */
export const EVENT_STORE_LIMITS = {
  /** Events in one append call (one transaction). */
  maxEventsPerAppend: 10_000,
  /** Events in one appendMany transaction, all requests together. */
  maxEventsPerTransaction: 100_000,
  /** Canonical JSON bytes of one event's data plus metadata (KurrentDB's own default record limit is 1 MiB). */
  maxEventBytes: 1024 * 1024,
  /** Characters in a stream id or an event type. */
  maxNameLength: 256,
  /** Events in one readAll page and in one subscription batch. */
  maxPageSize: 10_000,
  defaultBatchSize: 500,
  defaultPollIntervalMs: 50,
  maxPollIntervalMs: 60_000,
} as const;

export interface ResolvedSubscribeOptions {
  after: bigint;
  batchSize: number;
  pollIntervalMs: number;
}

/** Applies defaults and refuses out-of-range values with a message naming the option. */
export function resolveSubscribeOptions(options: SubscribeOptions = {}): ResolvedSubscribeOptions {
  const batchSize = options.batchSize ?? EVENT_STORE_LIMITS.defaultBatchSize;
  requireIntegerInRange('batchSize', batchSize, 1, EVENT_STORE_LIMITS.maxPageSize);
  const pollIntervalMs = options.pollIntervalMs ?? EVENT_STORE_LIMITS.defaultPollIntervalMs;
  requireIntegerInRange('pollIntervalMs', pollIntervalMs, 1, EVENT_STORE_LIMITS.maxPollIntervalMs);
  const after = options.after ?? -1n;
  requirePosition('after', after);
  return { after, batchSize, pollIntervalMs };
}

export function requireIntegerInRange(name: string, value: number, min: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer from ${min} to ${max}, got ${String(value)}`);
  }
}

/** Positions are bigint; -1n means "before the first event". */
export function requirePosition(name: string, value: bigint): void {
  if (typeof value !== 'bigint' || value < -1n) {
    throw new RangeError(`${name} must be a bigint position >= -1n, got ${String(value)}`);
  }
}

export function requireRevision(name: string, value: bigint): void {
  if (typeof value !== 'bigint' || value < 0n) {
    throw new RangeError(`${name} must be a bigint revision >= 0n, got ${String(value)}`);
  }
}
