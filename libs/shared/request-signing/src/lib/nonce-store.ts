/**
 * Where single-use nonces are remembered. `fresh` means the caller now owns the nonce; `replayed` that someone already
 * used it; `full` and `unavailable` mean the registry cannot tell, so the request is refused (503) rather than let
 * a possible replay through.
 */
export type NonceOutcome = 'fresh' | 'replayed' | 'full' | 'unavailable';

export interface NonceRegistry {
  /** Records the nonce if it is new. `nowMs` is passed in so tests and callers control time. */
  claim(nonce: string, nowMs: number): NonceOutcome | Promise<NonceOutcome>;
}

/**
 * One process's nonces, for a fixed time-to-live, with a hard cap on entries. Enough for a single instance; behind a
 * load balancer every instance must share one registry (RedisNonceRegistry), or a request replayed to another
 * instance would be accepted there.
 *
 * Every entry gets the same TTL, so insertion order is expiry order and pruning only ever looks at the front of the
 * Map: O(1) amortised per request. When the cap is reached with no entry expired, the store refuses new nonces
 * instead of evicting live ones: forgetting a nonce that is still inside the signature window would let a captured
 * request be replayed, so failing closed (503) is the only safe answer to a flood.
 */
export class NonceStore implements NonceRegistry {
  readonly #expiresAt = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  claim(nonce: string, nowMs: number): NonceOutcome {
    this.prune(nowMs);
    if (this.#expiresAt.has(nonce)) return 'replayed';
    if (this.#expiresAt.size >= this.maxEntries) return 'full';
    this.#expiresAt.set(nonce, nowMs + this.ttlMs);
    return 'fresh';
  }

  get size(): number {
    return this.#expiresAt.size;
  }

  private prune(nowMs: number): void {
    for (const [nonce, expiresAt] of this.#expiresAt) {
      if (expiresAt > nowMs) return;
      this.#expiresAt.delete(nonce);
    }
  }
}
