import { type Species, speciesLabel } from '@smilepay/biometrics/infrastructure';
import type { SessionRecord } from './terminal';

export interface SpeciesRow {
  species: Species;
  label: string;
  presentations: number;
  accepted: number;
  rejected: number;
  /** Attack presentations accepted / attack presentations (ISO/IEC 30107-3), for attack species. */
  apcer: number | null;
  /** Genuine presentations rejected / genuine presentations, for the genuine row. */
  bpcer: number | null;
  latencyP50Ms: number;
  latencyP95Ms: number;
  decisionP95Ms: number;
  /** Result codes of rejected presentations, e.g. { liveness_spoof: 3 }. */
  rejectionCodes: Record<string, number>;
}

/** Nearest-rank percentile of unsorted values; 0 for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Accepted means the checkout was authorized: the customer would have paid. Anything else is a rejection. */
export function summarise(records: readonly SessionRecord[]): SpeciesRow[] {
  const bySpecies = new Map<Species, SessionRecord[]>();
  for (const r of records) bySpecies.set(r.species, [...(bySpecies.get(r.species) ?? []), r]);
  return [...bySpecies.entries()].map(([species, rows]) => {
    const accepted = rows.filter((r) => r.outcome === 'authorized').length;
    const rejectionCodes: Record<string, number> = {};
    for (const r of rows.filter((x) => x.outcome !== 'authorized')) {
      const key = r.code ?? r.outcome;
      rejectionCodes[key] = (rejectionCodes[key] ?? 0) + 1;
    }
    const n = rows.length;
    return {
      species,
      label: speciesLabel[species],
      presentations: n,
      accepted,
      rejected: n - accepted,
      apcer: species === 'genuine' ? null : accepted / n,
      bpcer: species === 'genuine' ? (n - accepted) / n : null,
      latencyP50Ms: percentile(rows.map((r) => r.totalMs), 50),
      latencyP95Ms: percentile(rows.map((r) => r.totalMs), 95),
      decisionP95Ms: percentile(rows.flatMap((r) => (r.decisionMs === null ? [] : [r.decisionMs])), 95),
      rejectionCodes,
    };
  });
}

const pct = (v: number | null) => (v === null ? '-' : `${(v * 100).toFixed(1)}%`);
const ms = (v: number) => `${Math.round(v)} ms`;

/** A fixed-width table for the terminal (and the same rows as Markdown for docs). */
export function formatTable(rows: readonly SpeciesRow[], markdown = false): string {
  const header = ['species', 'presentations', 'accepted', 'rejected', 'APCER', 'BPCER', 'latency p50', 'latency p95', 'decision p95', 'rejection codes'];
  const body = rows.map((r) => [
    r.label,
    String(r.presentations),
    String(r.accepted),
    String(r.rejected),
    pct(r.apcer),
    pct(r.bpcer),
    ms(r.latencyP50Ms),
    ms(r.latencyP95Ms),
    ms(r.decisionP95Ms),
    Object.entries(r.rejectionCodes)
      .map(([c, k]) => `${c}×${k}`)
      .join(' ') || '-',
  ]);
  return renderTable(header, body, markdown);
}

export function renderTable(header: string[], body: string[][], markdown = false): string {
  if (markdown) {
    return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...body.map((r) => `| ${r.join(' | ')} |`)].join('\n');
  }
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}
