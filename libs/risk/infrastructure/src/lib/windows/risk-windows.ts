import { runSql } from '@smilepay/shared/projections';
import type { EntityManager, ObjectLiteral } from 'typeorm';

export type ActivityKind = 'customer_payment' | 'terminal_payment' | 'terminal_spoof';

export interface Activity {
  /** The store id of the event this row came from: with the kind, the row's key, so a replay inserts nothing twice. */
  eventId: string;
  kind: ActivityKind;
  subjectId: string;
  amountMinor?: bigint;
  currency?: string;
  atMs: number;
}

export interface CheckoutAt {
  checkoutId: string;
  terminalId: string;
  atMs: number;
}

export interface Visit {
  customerId: string;
  terminalId: string;
  atMs: number;
}

/** Values per statement: far under SQLite's limit (32,766 since 3.32, 999 before) and PostgreSQL's 65,535. */
const MAX_PARAMETERS = 900;

const asNumber = (value: unknown): number => (typeof value === 'string' ? Number(value) : (value as number));

/** The key `visitsKnown` answers with: a customer and a terminal, joined by a character no id contains. */
export const visitKey = (customerId: string, terminalId: string): string => `${customerId}\u0000${terminalId}`;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

interface ActivityRow {
  event_id: string;
  kind: ActivityKind;
  subject_id: string;
  amount_minor: unknown;
  currency: string | null;
  at_ms: unknown;
}

const activityOf = (row: ActivityRow): Activity => ({
  eventId: row.event_id,
  kind: row.kind,
  subjectId: row.subject_id,
  // Both databases hand money back as text (NUMERIC on PostgreSQL, TEXT on SQLite), so no precision is lost.
  ...(row.amount_minor === null ? {} : { amountMinor: BigInt(String(row.amount_minor)) }),
  ...(row.currency === null ? {} : { currency: row.currency }),
  atMs: asNumber(row.at_ms),
});

const ACTIVITY_COLUMNS = `"event_id", "kind", "subject_id", "amount_minor", "currency", "at_ms"`;

/**
 * The risk detector's memory, inside the projection's transaction: whatever it writes commits together with its
 * checkpoint, so the windows always describe exactly the events applied so far. Times are the events' own times
 * (epoch ms), never the clock, so a replay computes the same windows.
 *
 * Every method works on a whole batch (many checkouts, subjects or rows per statement): the detector reads what the
 * batch needs up front, evaluates in memory and writes the batch's rows at the end, so the statements per batch do not
 * grow with the number of payments in it.
 */
export class RiskWindows {
  constructor(private readonly tx: EntityManager) {}

  /** The terminal of each of these checkouts that is remembered; the others are missing from the map. */
  async terminalsOf(checkoutIds: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (const ids of chunks([...new Set(checkoutIds)], MAX_PARAMETERS)) {
      const { rows } = await runSql<{ checkout_id: string; terminal_id: string }>(
        this.tx,
        `SELECT "checkout_id", "terminal_id" FROM "risk_checkouts" WHERE "checkout_id" IN (:...ids)`,
        { ids },
      );
      for (const row of rows) found.set(row.checkout_id, row.terminal_id);
    }
    return found;
  }

  /** Every row of this kind for these subjects with a time at or after `sinceMs`. */
  activitySince(kind: ActivityKind, subjectIds: readonly string[], sinceMs: number): Promise<Activity[]> {
    return this.activityWhere(kind, subjectIds, [`"at_ms" >= :sinceMs`], { sinceMs });
  }

  /**
   * Rows of this kind for these subjects with a time in (afterMs, untilMs] or at or after `fromMs`: the edges of a
   * sliding window, the rows that come in or drop out while its end moves from `fromMs` on (see `countsAfter`).
   */
  activityAtEdges(
    kind: ActivityKind,
    subjectIds: readonly string[],
    edges: { afterMs: number; untilMs: number; fromMs: number },
  ): Promise<Activity[]> {
    // Two disjoint ranges rather than one OR: each is a short range of the (kind, subject, time) index, where the OR
    // made both databases walk the subject's whole window.
    return this.activityWhere(
      kind,
      subjectIds,
      [`"at_ms" > :afterMs AND "at_ms" <= :untilMs`, `"at_ms" > :untilMs AND "at_ms" >= :fromMs`],
      edges,
    );
  }

  /** How many rows of this kind each subject has with a time after `afterMs`; subjects with none are missing. */
  async countsAfter(kind: ActivityKind, subjectIds: readonly string[], afterMs: number): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const subjects of chunks([...new Set(subjectIds)], MAX_PARAMETERS)) {
      const { rows } = await runSql<{ subject_id: string; n: unknown }>(
        this.tx,
        `SELECT "subject_id", COUNT(*) AS "n" FROM "risk_activity" ` +
          `WHERE "kind" = :kind AND "subject_id" IN (:...subjects) AND "at_ms" > :afterMs GROUP BY "subject_id"`,
        { kind, subjects, afterMs },
      );
      for (const row of rows) counts.set(row.subject_id, asNumber(row.n));
    }
    return counts;
  }

  /** Which of these (customer, terminal) pairs have been seen before, as `visitKey`s. */
  async visitsKnown(visits: readonly Pick<Visit, 'customerId' | 'terminalId'>[]): Promise<Set<string>> {
    const wanted = new Set(visits.map((v) => visitKey(v.customerId, v.terminalId)));
    const known = new Set<string>();
    // Two lists instead of row values: both databases plan `IN` lists well; pairs not asked about are dropped below.
    const customers = [...new Set(visits.map((v) => v.customerId))];
    const terminals = [...new Set(visits.map((v) => v.terminalId))];
    for (const customerIds of chunks(customers, MAX_PARAMETERS / 2)) {
      for (const terminalIds of chunks(terminals, MAX_PARAMETERS / 2)) {
        const { rows } = await runSql<{ customer_id: string; terminal_id: string }>(
          this.tx,
          `SELECT "customer_id", "terminal_id" FROM "risk_customer_terminals" ` +
            `WHERE "customer_id" IN (:...customerIds) AND "terminal_id" IN (:...terminalIds)`,
          { customerIds, terminalIds },
        );
        for (const row of rows) {
          const key = visitKey(row.customer_id, row.terminal_id);
          if (wanted.has(key)) known.add(key);
        }
      }
    }
    return known;
  }

  /** Remembers which terminal each checkout is at; a checkout remembered already keeps its row. */
  async rememberCheckouts(checkouts: readonly CheckoutAt[]): Promise<void> {
    await this.insertRows('risk_checkouts', ['checkout_id', 'terminal_id', 'at_ms'], checkouts, (c) => [
      c.checkoutId,
      c.terminalId,
      c.atMs,
    ]);
  }

  async record(activities: readonly Activity[]): Promise<void> {
    await this.insertRows(
      'risk_activity',
      ['event_id', 'kind', 'subject_id', 'amount_minor', 'currency', 'at_ms'],
      activities,
      (a) => [a.eventId, a.kind, a.subjectId, a.amountMinor?.toString() ?? null, a.currency ?? null, a.atMs],
    );
  }

  /** Records the first payment of a customer at a terminal; pairs already known keep their first time. */
  async rememberVisits(visits: readonly Visit[]): Promise<void> {
    await this.insertRows('risk_customer_terminals', ['customer_id', 'terminal_id', 'first_at_ms'], visits, (v) => [
      v.customerId,
      v.terminalId,
      v.atMs,
    ]);
  }

  /** Forgets activity and checkouts older than every window: the memory stays bounded by the traffic of one window. */
  async prune(beforeMs: number): Promise<void> {
    await runSql(this.tx, `DELETE FROM "risk_activity" WHERE "at_ms" < :beforeMs`, { beforeMs });
    await runSql(this.tx, `DELETE FROM "risk_checkouts" WHERE "at_ms" < :beforeMs`, { beforeMs });
  }

  /** Rows matching any of `ranges` (disjoint, each a condition on the time), read with one statement per chunk. */
  private async activityWhere(
    kind: ActivityKind,
    subjectIds: readonly string[],
    ranges: readonly string[],
    parameters: ObjectLiteral,
  ): Promise<Activity[]> {
    const found: Activity[] = [];
    const select = `SELECT ${ACTIVITY_COLUMNS} FROM "risk_activity" WHERE "kind" = :kind AND "subject_id" IN (:...subjects)`;
    const sql = ranges.map((range) => `${select} AND ${range}`).join(' UNION ALL ');
    for (const subjects of chunks([...new Set(subjectIds)], MAX_PARAMETERS / ranges.length)) {
      const { rows } = await runSql<ActivityRow>(this.tx, sql, { ...parameters, kind, subjects });
      found.push(...rows.map(activityOf));
    }
    return found;
  }

  /** One multi-row `INSERT … ON CONFLICT DO NOTHING` per chunk: the same statement text works on both databases. */
  private async insertRows<T>(
    table: string,
    columns: readonly string[],
    items: readonly T[],
    values: (item: T) => unknown[],
  ): Promise<void> {
    const head = `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES `;
    for (const chunk of chunks(items, Math.floor(MAX_PARAMETERS / columns.length))) {
      const parameters: ObjectLiteral = {};
      const tuples = chunk.map((item, row) => {
        const names = values(item).map((value, column) => {
          const name = `v${row}_${column}`;
          parameters[name] = value;
          return `:${name}`;
        });
        return `(${names.join(', ')})`;
      });
      await runSql(this.tx, `${head}${tuples.join(', ')} ON CONFLICT DO NOTHING`, parameters);
    }
  }
}
