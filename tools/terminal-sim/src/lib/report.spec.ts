import { formatTable, percentile, summarise } from './report';
import type { SessionRecord } from './terminal';

const record = (species: SessionRecord['species'], outcome: SessionRecord['outcome'], totalMs: number, code?: string): SessionRecord => ({
  species,
  customerId: 'c',
  terminalId: 't',
  outcome,
  code,
  framesSent: 5,
  framesOk: 5,
  frameCodes: {},
  totalMs,
  decisionMs: totalMs / 10,
});

describe('summarise', () => {
  it('computes APCER for attacks and BPCER for genuine presentations', () => {
    const rows = summarise([
      record('genuine', 'authorized', 100),
      record('genuine', 'liveness_failed', 200, 'liveness_inconclusive'),
      record('print', 'liveness_failed', 50, 'liveness_spoof'),
      record('print', 'liveness_failed', 60, 'liveness_spoof'),
      record('print', 'authorized', 70),
      record('print', 'error', 80, 'api_unavailable'),
    ]);
    const genuine = rows.find((r) => r.species === 'genuine');
    const print = rows.find((r) => r.species === 'print');
    expect(genuine).toMatchObject({ presentations: 2, accepted: 1, bpcer: 0.5, apcer: null, rejectionCodes: { liveness_inconclusive: 1 } });
    expect(print).toMatchObject({ presentations: 4, accepted: 1, rejected: 3, apcer: 0.25, bpcer: null });
    expect(print?.rejectionCodes).toEqual({ liveness_spoof: 2, api_unavailable: 1 });
    expect(formatTable(rows)).toMatch(/25\.0%/);
    expect(formatTable(rows, true).split('\n')[1]).toMatch(/^\|---/);
  });

  it('takes nearest-rank percentiles', () => {
    expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3);
    expect(percentile(Array.from({ length: 100 }, (_, i) => i + 1), 95)).toBe(95);
    expect(percentile([], 95)).toBe(0);
  });
});
