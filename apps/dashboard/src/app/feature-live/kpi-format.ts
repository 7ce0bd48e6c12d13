import type { KpiSnapshot } from '@smilepay/shared/contracts';

export interface KpiTiles {
  paymentsPerMinute: string;
  approvalRate: string;
  spoofsBlocked: string;
  latencyP95: string;
}

const none: KpiTiles = { paymentsPerMinute: '—', approvalRate: '—', spoofsBlocked: '—', latencyP95: '—' };

/** The four headline numbers as text; approvalRate is a fraction in [0, 1]. */
export function kpiTiles(kpi: KpiSnapshot | null): KpiTiles {
  if (!kpi) return none;
  return {
    paymentsPerMinute: kpi.paymentsPerMinute.toLocaleString('en-US', { maximumFractionDigits: 1 }),
    approvalRate: kpi.approvalRate === null ? '—' : `${(kpi.approvalRate * 100).toFixed(1)}%`,
    spoofsBlocked: kpi.spoofsBlocked.toLocaleString('en-US'),
    latencyP95: kpi.decisionLatencyMsP95 === null ? '—' : `${Math.round(kpi.decisionLatencyMsP95).toLocaleString('en-US')} ms`,
  };
}
