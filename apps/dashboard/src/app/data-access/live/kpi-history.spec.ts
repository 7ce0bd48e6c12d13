import type { KpiSnapshot } from '@smilepay/shared/contracts';
import { appendKpi } from './kpi-history';

const kpi = (second: number, paymentsPerMinute = 10): KpiSnapshot => ({
  at: new Date(Date.UTC(2025, 0, 1, 0, 0, second)).toISOString(),
  paymentsPerMinute,
  approvalRate: 0.9,
  spoofsBlocked: 0,
  decisionLatencyMsP95: 300,
});

describe('appendKpi', () => {
  it('appends in time order and ignores repeated or stale snapshots', () => {
    let history = appendKpi([], kpi(1));
    history = appendKpi(history, kpi(2));
    const before = history;
    expect(appendKpi(history, kpi(2))).toBe(before);
    expect(appendKpi(history, kpi(1))).toBe(before);
    expect(history.map((k) => k.at)).toEqual([kpi(1).at, kpi(2).at]);
  });

  it('keeps the last `limit` points', () => {
    let history: readonly KpiSnapshot[] = [];
    for (let s = 0; s < 10; s += 1) history = appendKpi(history, kpi(s, s), 4);
    expect(history.map((k) => k.paymentsPerMinute)).toEqual([6, 7, 8, 9]);
  });

  it('ignores a snapshot without a readable time', () => {
    expect(appendKpi([], { ...kpi(1), at: 'now' })).toEqual([]);
  });
});
