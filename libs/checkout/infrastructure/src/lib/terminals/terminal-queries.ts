import type { TerminalView } from '@smilepay/shared/contracts';
import type { DataSource } from 'typeorm';
import { TerminalSummaryEntity } from './terminal-summary.entity';

/** Most terminals one call lists. */
export const MAX_TERMINALS_PAGE = 1_000;

const iso = (date: Date | null): string | null => date?.toISOString() ?? null;

/** The view at `now`: the lockout and the day counters depend on the time of the question. */
export function toTerminalView(row: TerminalSummaryEntity, now: Date): TerminalView {
  const quarantined = row.lockedUntil !== null && row.lockedUntil > now;
  const today = row.day === now.toISOString().slice(0, 10);
  return {
    terminalId: row.terminalId,
    merchantId: row.merchantId,
    status: quarantined ? 'quarantined' : 'active',
    quarantineReason: quarantined ? `face payments locked after ${row.consecutiveFailures} failed face attempts in a row` : null,
    quarantinedAt: quarantined ? iso(row.lockedAt) : null,
    quarantinedUntil: quarantined ? iso(row.lockedUntil) : null,
    registeredAt: iso(row.registeredAt),
    lastPaymentAt: iso(row.lastPaymentAt),
    lastSeenAt: iso(row.lastSeenAt),
    paymentsToday: today ? row.paymentsDay : 0,
    spoofsBlockedToday: today ? row.spoofsDay : 0,
    paymentsTotal: row.paymentsTotal,
    spoofsBlockedTotal: row.spoofsTotal,
  };
}

export async function listTerminals(dataSource: DataSource, now: Date, limit = MAX_TERMINALS_PAGE): Promise<TerminalView[]> {
  const take = Math.min(Math.max(1, Math.trunc(limit)), MAX_TERMINALS_PAGE);
  const rows = await dataSource.getRepository(TerminalSummaryEntity).find({ order: { terminalId: 'ASC' }, take });
  return rows.map((row) => toTerminalView(row, now));
}
