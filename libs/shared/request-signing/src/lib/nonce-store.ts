/**
 * Remembers used nonces for a fixed time-to-live, with a hard cap on entries.
 *
 * Every entry gets the same TTL, so insertion order is expiry order and pruning only ever looks at the front of the
 * Map: O(1) amortised per request. When the cap is reached with no entry expired, the store refuses new nonces
 * instead of evicting live ones: forgetting a nonce that is still inside the signature window would let a captured
 * request be replayed, so failing closed (503) is the only safe answer to a flood.
 */
export type NonceOutcome = 'fresh' | 'replayed' | 'full';

export class NonceStore {
  readonly #expiresAt = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  /** Records the nonce if it is new. `now` is passed in so tests and callers control time. */
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
