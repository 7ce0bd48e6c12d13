import type { KpiSnapshot } from '@smilepay/shared/contracts';
import { runSql } from '@smilepay/shared/projections';
import type { DataSource } from 'typeorm';

export const KPI_RATE_WINDOW_MS = 60_000;
export const KPI_DECISION_WINDOW_MS = 60 * 60_000;
/** The p95 is taken over at most this many of the latest decisions in the window: the sort stays bounded. */
export const KPI_LATENCY_SAMPLE = 10_000;

const count = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));

/** Nearest-rank p95 of the latest decisions' latencies, sorted in SQL over a bounded sample. */
async function latencyP95(dataSource: DataSource, from: Date, to: Date): Promise<number | null> {
  const sample =
    `SELECT "decision_latency_ms" AS "latency" FROM "payments" ` +
    `WHERE "decided_at" > :from AND "decided_at" <= :to AND "decision_latency_ms" IS NOT NULL ` +
    `ORDER BY "decided_at" DESC LIMIT ${KPI_LATENCY_SAMPLE}`;
  const manager = dataSource.manager;
  const [size] = (await runSql<{ n: unknown }>(manager, `SELECT COUNT(*) AS "n" FROM (${sample}) "sample"`, { from, to })).rows;
  const n = count(size?.n);
  if (n === 0) return null;
  const offset = Math.ceil(0.95 * n) - 1;
  const { rows } = await runSql<{ latency: unknown }>(
    manager,
    `SELECT "latency" FROM (${sample}) "sample" ORDER BY "latency" LIMIT 1 OFFSET ${offset}`,
    { from, to },
  );
  return rows.length === 0 ? null : count(rows[0].latency);
}

/**
 * Headline figures from the payments table: checkouts started in the last minute; of the payments decided in the
 * last hour, the share authorized, the spoofs declined and the p95 time from start to decision.
 */
export async function computeKpis(dataSource: DataSource, now: Date): Promise<KpiSnapshot> {
  const minuteAgo = new Date(now.getTime() - KPI_RATE_WINDOW_MS);
  const hourAgo = new Date(now.getTime() - KPI_DECISION_WINDOW_MS);
  const manager = dataSource.manager;
  const [rate] = (
    await runSql<{ n: unknown }>(manager, `SELECT COUNT(*) AS "n" FROM "payments" WHERE "started_at" > :from AND "started_at" <= :to`, {
      from: minuteAgo,
      to: now,
    })
  ).rows;
  const [decided] = (
    await runSql<{ decided: unknown; approved: unknown; spoofs: unknown }>(
      manager,
      `SELECT COUNT(*) AS "decided", ` +
        `SUM(CASE WHEN "decision" = 'authorized' THEN 1 ELSE 0 END) AS "approved", ` +
        `SUM(CASE WHEN "decline_reason" = 'spoof' THEN 1 ELSE 0 END) AS "spoofs" ` +
        `FROM "payments" WHERE "decided_at" > :from AND "decided_at" <= :to`,
      { from: hourAgo, to: now },
    )
  ).rows;
  const decidedCount = count(decided?.decided);
  return {
    at: now.toISOString(),
    paymentsPerMinute: count(rate?.n),
    approvalRate: decidedCount === 0 ? null : count(decided?.approved) / decidedCount,
    spoofsBlocked: count(decided?.spoofs),
    decisionLatencyMsP95: await latencyP95(dataSource, hourAgo, now),
  };
}
