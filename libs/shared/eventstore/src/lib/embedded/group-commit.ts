/** What one request of a group came to: its own result or its own error. */
export type GroupOutcome<Result> = { ok: true; result: Result } | { ok: false; error: unknown };

export interface GroupCommitLimits {
  /** Requests in one group: a full group is written at once instead of waiting for the end of the turn. */
  maxRequests: number;
  /** Units of work (events) in one group, for the same reason. */
  maxUnits: number;
}

interface Waiting<Request, Result> {
  request: Request;
  resolve(result: Result): void;
  reject(error: unknown): void;
}

/**
 * Group commit: requests submitted during one event-loop turn are written together by one `commit` call (one
 * transaction), which reports an outcome per request, so each request still succeeds or fails on its own. The group
 * is written at the next `setImmediate`, or at once when it reaches a limit, or when `flush()` is called (the store
 * does so before every read, so a read always sees the appends submitted before it).
 * A `commit` that throws fails every request of its group with that error (nothing of the group was written).
 */
export class GroupCommitQueue<Request, Result> {
  private waiting: Waiting<Request, Result>[] = [];
  private units = 0;
  private scheduled: NodeJS.Immediate | undefined;

  constructor(
    private readonly commit: (requests: Request[]) => GroupOutcome<Result>[],
    private readonly unitsOf: (request: Request) => number,
    private readonly limits: GroupCommitLimits,
  ) {}

  get size(): number {
    return this.waiting.length;
  }

  submit(request: Request): Promise<Result> {
    const units = this.unitsOf(request);
    if (this.waiting.length > 0 && this.units + units > this.limits.maxUnits) this.flush();
    return new Promise<Result>((resolve, reject) => {
      this.waiting.push({ request, resolve, reject });
      this.units += units;
      if (this.waiting.length >= this.limits.maxRequests || this.units >= this.limits.maxUnits) this.flush();
      else this.scheduled ??= setImmediate(() => this.flush());
    });
  }

  /** Writes the waiting group now (no-op when empty). Never throws: failures go to the requests' promises. */
  flush(): void {
    if (this.scheduled !== undefined) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    const group = this.waiting;
    if (group.length === 0) return;
    this.waiting = [];
    this.units = 0;
    let outcomes: GroupOutcome<Result>[];
    try {
      outcomes = this.commit(group.map((w) => w.request));
    } catch (error) {
      for (const w of group) w.reject(error);
      return;
    }
    group.forEach((w, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) w.resolve(outcome.result);
      else w.reject(outcome.error);
    });
  }
}
