import {
  visitKey,
  type Activity,
  type ActivityKind,
  type RiskWindows,
  type Visit,
} from '@smilepay/risk/infrastructure';

const activityKey = (eventId: string, kind: ActivityKind): string => `${kind}:${eventId}`;

function bySubject(rows: readonly Activity[]): Map<string, Activity[]> {
  const out = new Map<string, Activity[]>();
  for (const row of rows) {
    const list = out.get(row.subjectId);
    if (list === undefined) out.set(row.subjectId, [row]);
    else list.push(row);
  }
  return out;
}

/** What the database held before the batch, for one kind of activity: answers "rows in (fromMs, toMs]". */
interface Stored {
  has(eventId: string): boolean;
  count(subjectId: string, fromMs: number, toMs: number): number;
}

/** Every stored row since `sinceMs`: enough for any window that starts there or later, and for sums. */
class StoredRows implements Stored {
  private readonly rows: Map<string, Activity[]>;
  private readonly ids: Set<string>;

  constructor(
    private readonly sinceMs: number,
    rows: readonly Activity[],
  ) {
    this.rows = bySubject(rows);
    this.ids = new Set(rows.map((row) => row.eventId));
  }

  has(eventId: string): boolean {
    return this.ids.has(eventId);
  }

  count(subjectId: string, fromMs: number, toMs: number): number {
    // (fromMs, toMs] needs every row from fromMs + 1 on.
    if (fromMs + 1 < this.sinceMs)
      throw new Error(`risk windows: rows since ${this.sinceMs} cannot count from ${fromMs}`);
    return (this.rows.get(subjectId) ?? []).filter((row) => row.atMs > fromMs && row.atMs <= toMs).length;
  }

  of(subjectId: string): readonly Activity[] {
    return this.rows.get(subjectId) ?? [];
  }

  get loadedSinceMs(): number {
    return this.sinceMs;
  }
}

/**
 * A sliding window's count without loading the window: how many rows each subject had after `afterMs` (the start of
 * the earliest window in the batch), plus the rows at the edges, those that drop out as the window's start moves up to
 * `untilMs` and those at or after `fromMs` (the earliest window end), which a window ending earlier does not include.
 * A busy terminal has thousands of payments in its window, but a batch moves the window by a handful.
 */
class StoredTally implements Stored {
  private readonly edges: Map<string, Activity[]>;
  private readonly ids: Set<string>;

  constructor(
    private readonly bounds: { afterMs: number; untilMs: number; fromMs: number },
    private readonly counts: Map<string, number>,
    edges: readonly Activity[],
  ) {
    this.edges = bySubject(edges);
    // Every stored row of an event in this batch lies at or after `fromMs`, so it is among the edges.
    this.ids = new Set(edges.map((row) => row.eventId));
  }

  has(eventId: string): boolean {
    return this.ids.has(eventId);
  }

  count(subjectId: string, fromMs: number, toMs: number): number {
    const { afterMs, untilMs, fromMs: earliestToMs } = this.bounds;
    if (fromMs < afterMs || fromMs > untilMs || toMs < earliestToMs) {
      throw new Error(`risk windows: a tally for (${afterMs}, ${untilMs}] cannot count (${fromMs}, ${toMs}]`);
    }
    let n = this.counts.get(subjectId) ?? 0;
    for (const row of this.edges.get(subjectId) ?? []) if (row.atMs <= fromMs || row.atMs > toMs) n--;
    return n;
  }
}

/** What the detector must know about one batch before evaluating it, derived from the batch's events. */
export interface WindowNeeds {
  /** Customers paying in the batch, and the earliest time a velocity window or a day total of theirs reaches back to. */
  customerPayments: { subjectIds: string[]; sinceMs: number };
  terminalPayments: SlidingNeed;
  terminalSpoofs: SlidingNeed;
  visits: Pick<Visit, 'customerId' | 'terminalId'>[];
}

/** Subjects whose count over (at - windowMs, at] is asked for, at times between `earliestMs` and `latestMs`. */
export interface SlidingNeed {
  subjectIds: string[];
  earliestMs: number;
  latestMs: number;
  windowMs: number;
}

async function loadTally(windows: RiskWindows, kind: ActivityKind, need: SlidingNeed): Promise<StoredTally> {
  const bounds = {
    afterMs: need.earliestMs - need.windowMs,
    untilMs: need.latestMs - need.windowMs,
    fromMs: need.earliestMs,
  };
  if (need.subjectIds.length === 0) return new StoredTally(bounds, new Map(), []);
  const counts = await windows.countsAfter(kind, need.subjectIds, bounds.afterMs);
  return new StoredTally(bounds, counts, await windows.activityAtEdges(kind, need.subjectIds, bounds));
}

/**
 * The detector's memory for one batch: what the tables held before it, read in a few statements, plus the rows the
 * batch adds as it is evaluated in event order. Counting both gives each event exactly what the row-at-a-time
 * statements saw: the rows of the events before it in the batch included, later ones not yet. The added rows are then
 * written in one go.
 */
export class BatchWindows {
  private readonly added = new Map<ActivityKind, Map<string, Activity[]>>();
  private readonly addedKeys = new Set<string>();
  private readonly newActivity: Activity[] = [];
  private readonly newVisits: Visit[] = [];

  private constructor(
    private readonly stored: {
      customer_payment: StoredRows;
      terminal_payment: StoredTally;
      terminal_spoof: StoredTally;
    },
    /** The (customer, terminal) pairs seen before the batch, and then the ones it adds. */
    private readonly visited: Set<string>,
  ) {}

  static async load(windows: RiskWindows, needs: WindowNeeds): Promise<BatchWindows> {
    const customers = needs.customerPayments;
    const customerRows =
      customers.subjectIds.length === 0
        ? []
        : await windows.activitySince('customer_payment', customers.subjectIds, customers.sinceMs);
    const stored = {
      customer_payment: new StoredRows(customers.sinceMs, customerRows),
      terminal_payment: await loadTally(windows, 'terminal_payment', needs.terminalPayments),
      terminal_spoof: await loadTally(windows, 'terminal_spoof', needs.terminalSpoofs),
    };
    const known = needs.visits.length === 0 ? new Set<string>() : await windows.visitsKnown(needs.visits);
    return new BatchWindows(stored, known);
  }

  /** Adds a row unless it is there already (stored, or added earlier in the batch): once per event and kind. */
  record(activity: Activity): void {
    const key = activityKey(activity.eventId, activity.kind);
    if (this.addedKeys.has(key) || this.stored[activity.kind].has(activity.eventId)) return;
    this.addedKeys.add(key);
    this.newActivity.push(activity);
    let subjects = this.added.get(activity.kind);
    if (subjects === undefined) this.added.set(activity.kind, (subjects = new Map()));
    const list = subjects.get(activity.subjectId);
    if (list === undefined) subjects.set(activity.subjectId, [activity]);
    else list.push(activity);
  }

  /** Rows of this kind and subject with a time in (fromMs, toMs]. */
  count(kind: ActivityKind, subjectId: string, fromMs: number, toMs: number): number {
    const added = this.addedOf(kind, subjectId).filter((row) => row.atMs > fromMs && row.atMs <= toMs).length;
    return this.stored[kind].count(subjectId, fromMs, toMs) + added;
  }

  /** The customer's payments in one currency with a time in [fromMs, toMs], one event left out. Summed as bigint. */
  customerSum(customerId: string, currency: string, fromMs: number, toMs: number, excludeEventId: string): bigint {
    const stored = this.stored.customer_payment;
    if (fromMs < stored.loadedSinceMs)
      throw new Error(`risk windows: rows since ${stored.loadedSinceMs} cannot sum from ${fromMs}`);
    let total = 0n;
    for (const row of [...stored.of(customerId), ...this.addedOf('customer_payment', customerId)]) {
      const inRange = row.atMs >= fromMs && row.atMs <= toMs && row.currency === currency;
      if (inRange && row.eventId !== excludeEventId) total += row.amountMinor ?? 0n;
    }
    return total;
  }

  /** Records that the customer paid at the terminal; true when it is the first time. */
  firstVisit(customerId: string, terminalId: string, atMs: number): boolean {
    const key = visitKey(customerId, terminalId);
    if (this.visited.has(key)) return false;
    this.visited.add(key);
    this.newVisits.push({ customerId, terminalId, atMs });
    return true;
  }

  /** What the batch adds, in the order it was added. */
  writes(): { activity: readonly Activity[]; visits: readonly Visit[] } {
    return { activity: this.newActivity, visits: this.newVisits };
  }

  private addedOf(kind: ActivityKind, subjectId: string): readonly Activity[] {
    return this.added.get(kind)?.get(subjectId) ?? [];
  }
}
