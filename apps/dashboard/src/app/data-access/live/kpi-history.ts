import type { KpiSnapshot } from '@smilepay/shared/contracts';

/** KPI points kept for the charts: at one snapshot every 2 s this is the last 10 minutes. */
export const KPI_HISTORY_LIMIT = 300;

/** Appends a snapshot in time order, dropping duplicates and stale ones, and keeps the last `limit` points. */
export function appendKpi(
  history: readonly KpiSnapshot[],
  snapshot: KpiSnapshot,
  limit = KPI_HISTORY_LIMIT,
): readonly KpiSnapshot[] {
  const at = Date.parse(snapshot.at);
  if (Number.isNaN(at)) return history;
  const last = history[history.length - 1];
  if (last && Date.parse(last.at) >= at) return history;
  const next = [...history, snapshot];
  return next.length > limit ? next.slice(next.length - limit) : next;
}
