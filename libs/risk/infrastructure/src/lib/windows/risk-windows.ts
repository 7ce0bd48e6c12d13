import { runSql } from '@smilepay/shared/projections';
import type { EntityManager } from 'typeorm';

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

const asNumber = (value: unknown): number => (typeof value === 'string' ? Number(value) : (value as number));

/**
 * The risk detector's memory, inside the projection's transaction: whatever it writes commits together with its
 * checkpoint, so the windows always describe exactly the events applied so far. Times are the events' own times
 * (epoch ms), never the clock, so a replay computes the same windows.
 */
export class RiskWindows {
  constructor(private readonly tx: EntityManager) {}

  async rememberCheckout(checkoutId: string, terminalId: string, atMs: number): Promise<void> {
    await runSql(
      this.tx,
      `INSERT INTO "risk_checkouts" ("checkout_id", "terminal_id", "at_ms") VALUES (:checkoutId, :terminalId, :atMs) ON CONFLICT DO NOTHING`,
      { checkoutId, terminalId, atMs },
    );
  }

  async terminalOf(checkoutId: string): Promise<string | null> {
    const { rows } = await runSql<{ terminal_id: string }>(
      this.tx,
      `SELECT "terminal_id" FROM "risk_checkouts" WHERE "checkout_id" = :checkoutId`,
      { checkoutId },
    );
    return rows[0]?.terminal_id ?? null;
  }

  async record(activity: Activity): Promise<void> {
    await runSql(
      this.tx,
      `INSERT INTO "risk_activity" ("event_id", "kind", "subject_id", "amount_minor", "currency", "at_ms") ` +
        `VALUES (:eventId, :kind, :subjectId, :amountMinor, :currency, :atMs) ON CONFLICT DO NOTHING`,
      { ...activity, amountMinor: activity.amountMinor?.toString() ?? null, currency: activity.currency ?? null },
    );
  }

  /** Rows of this kind and subject with a time in (fromMs, toMs]. */
  async count(kind: ActivityKind, subjectId: string, fromMs: number, toMs: number): Promise<number> {
    const { rows } = await runSql<{ n: unknown }>(
      this.tx,
      `SELECT COUNT(*) AS "n" FROM "risk_activity" WHERE "kind" = :kind AND "subject_id" = :subjectId AND "at_ms" > :fromMs AND "at_ms" <= :toMs`,
      { kind, subjectId, fromMs, toMs },
    );
    return asNumber(rows[0]?.n ?? 0);
  }

  /** The subject's amounts in one currency with a time in [fromMs, toMs], one event left out. Summed as bigint. */
  async sum(
    kind: ActivityKind,
    subjectId: string,
    currency: string,
    fromMs: number,
    toMs: number,
    excludeEventId: string,
  ): Promise<bigint> {
    const { rows } = await runSql<{ amount_minor: unknown }>(
      this.tx,
      `SELECT "amount_minor" FROM "risk_activity" WHERE "kind" = :kind AND "subject_id" = :subjectId AND "currency" = :currency ` +
        `AND "at_ms" >= :fromMs AND "at_ms" <= :toMs AND "event_id" <> :excludeEventId`,
      { kind, subjectId, currency, fromMs, toMs, excludeEventId },
    );
    return rows.reduce((total, row) => total + BigInt(String(row.amount_minor)), 0n);
  }

  /** Records that the customer paid at the terminal; true when it is the first time. */
  async firstVisit(customerId: string, terminalId: string, atMs: number): Promise<boolean> {
    const { affected } = await runSql(
      this.tx,
      `INSERT INTO "risk_customer_terminals" ("customer_id", "terminal_id", "first_at_ms") VALUES (:customerId, :terminalId, :atMs) ON CONFLICT DO NOTHING`,
      { customerId, terminalId, atMs },
    );
    return affected > 0;
  }

  /** Forgets activity and checkouts older than every window: the memory stays bounded by the traffic of one window. */
  async prune(beforeMs: number): Promise<void> {
    await runSql(this.tx, `DELETE FROM "risk_activity" WHERE "at_ms" < :beforeMs`, { beforeMs });
    await runSql(this.tx, `DELETE FROM "risk_checkouts" WHERE "at_ms" < :beforeMs`, { beforeMs });
  }
}
