import type { KpiSnapshot } from '@smilepay/shared/contracts';
import { approvalOption, binLabels, CHART_WINDOW_MS, histogram, MIN_CHART_WINDOW_MS, timeWindow } from './live-charts';
import { kpiTiles } from './kpi-format';

describe('histogram', () => {
  it('counts scores into equal buckets, the top bucket including 1', () => {
    expect(histogram([0, 0.05, 0.1, 0.55, 0.99, 1], 10)).toEqual([2, 1, 0, 0, 0, 1, 0, 0, 0, 2]);
  });

  it('leaves out scores that are out of range or not numbers', () => {
    expect(histogram([-0.1, 1.2, Number.NaN, Number.POSITIVE_INFINITY, 0.5], 2)).toEqual([0, 1]);
  });

  it('labels each bucket by its lower edge', () => {
    expect(binLabels(4)).toEqual(['0.00', '0.25', '0.50', '0.75']);
  });
});

const snapshot: KpiSnapshot = {
  at: '2025-01-01T00:00:00Z',
  paymentsPerMinute: 1234.56,
  approvalRate: 0.9734,
  spoofsBlocked: 12,
  decisionLatencyMsP95: 412.6,
};

describe('KPI tiles', () => {
  it('formats the four headline numbers', () => {
    expect(kpiTiles(snapshot)).toEqual({
      paymentsPerMinute: '1,234.6',
      approvalRate: '97.3%',
      spoofsBlocked: '12',
      latencyP95: '413 ms',
    });
  });

  it('shows dashes before the first snapshot and when no latency is known', () => {
    expect(kpiTiles(null).approvalRate).toBe('—');
    expect(kpiTiles({ ...snapshot, decisionLatencyMsP95: null }).latencyP95).toBe('—');
  });

  it('charts the approval rate in percent', () => {
    const option = approvalOption([snapshot]);
    const series = option.series as { data: [number, number][] }[];
    expect(series[0].data).toEqual([[Date.parse(snapshot.at), 97.3]]);
  });
});

describe('timeWindow', () => {
  const t0 = Date.parse('2025-01-01T00:00:00Z');

  it('spans the data, at least the minimum window and at most the maximum, ending at the newest point', () => {
    expect(timeWindow([[t0, 1], [t0 + 10_000, 1]], 0)).toEqual({ min: t0 + 10_000 - MIN_CHART_WINDOW_MS, max: t0 + 10_000 });
    expect(timeWindow([[t0, 1], [t0 + 5 * 60_000, 1]], 0)).toEqual({ min: t0, max: t0 + 5 * 60_000 });
    expect(timeWindow([[t0, 1], [t0 + 60 * 60_000, 1]], 0)).toEqual({ min: t0 + 60 * 60_000 - CHART_WINDOW_MS, max: t0 + 60 * 60_000 });
  });

  it('ends at the current time when there is no data', () => {
    expect(timeWindow([], t0)).toEqual({ min: t0 - MIN_CHART_WINDOW_MS, max: t0 });
  });
});
