/**
 * Latency samples per named stage, each stage keeping only its last `capacity` samples (a ring), so memory stays
 * flat however long the gateway runs. Percentiles are exact over the retained window.
 */
export interface StageSummary {
  stage: string;
  count: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

class Ring {
  readonly samples: Float64Array;
  next = 0;
  size = 0;
  total = 0;

  constructor(capacity: number) {
    this.samples = new Float64Array(capacity);
  }

  push(value: number): void {
    this.samples[this.next] = value;
    this.next = (this.next + 1) % this.samples.length;
    this.size = Math.min(this.size + 1, this.samples.length);
    this.total++;
  }
}

export class StageStats {
  readonly #rings = new Map<string, Ring>();
  readonly #counters = new Map<string, number>();

  constructor(
    private readonly capacity = 10_000,
    private readonly maxStages = 64,
  ) {}

  record(stage: string, ms: number): void {
    let ring = this.#rings.get(stage);
    if (!ring) {
      if (this.#rings.size >= this.maxStages) return;
      ring = new Ring(this.capacity);
      this.#rings.set(stage, ring);
    }
    ring.push(ms);
  }

  count(counter: string, by = 1): void {
    if (!this.#counters.has(counter) && this.#counters.size >= this.maxStages) return;
    this.#counters.set(counter, (this.#counters.get(counter) ?? 0) + by);
  }

  summary(): { stages: StageSummary[]; counters: Record<string, number> } {
    const stages = [...this.#rings.entries()].map(([stage, ring]) => summarise(stage, ring));
    return { stages, counters: Object.fromEntries(this.#counters) };
  }

  reset(): void {
    this.#rings.clear();
    this.#counters.clear();
  }
}

export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

function summarise(stage: string, ring: Ring): StageSummary {
  const sorted = ring.samples.slice(0, ring.size).sort();
  return {
    stage,
    count: ring.total,
    p50Ms: round(percentile(sorted, 50)),
    p95Ms: round(percentile(sorted, 95)),
    maxMs: round(sorted.length ? sorted[sorted.length - 1] : 0),
  };
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
