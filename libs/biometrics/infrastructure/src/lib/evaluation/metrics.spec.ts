import { detTable, equalErrorRate, summarize, tally } from './metrics';

describe('detTable', () => {
  const genuine = [0.9, 0.8, 0.6, 0.4];
  const impostor = [0.1, 0.2, 0.3, 0.5, -0.1];

  it('counts impostors at or above and genuines below each threshold', () => {
    const [low, mid, high] = detTable(genuine, impostor, [0.2, 0.45, 0.85]);
    expect(low).toEqual({ threshold: 0.2, fmr: 3 / 5, fnmr: 0, falseMatches: 3, falseNonMatches: 0 });
    expect(mid).toEqual({ threshold: 0.45, fmr: 1 / 5, fnmr: 1 / 4, falseMatches: 1, falseNonMatches: 1 });
    expect(high).toMatchObject({ fmr: 0, fnmr: 3 / 4 });
  });

  it('refuses empty score sets', () => {
    expect(() => detTable([], impostor, [0.5])).toThrow(RangeError);
  });
});

describe('equalErrorRate', () => {
  it('is 0 for separated scores, at the lowest genuine score', () => {
    expect(equalErrorRate([0.7, 0.8], [0.1, 0.2])).toEqual({ eer: 0, threshold: 0.7 });
  });

  it('is where FMR and FNMR cross for overlapping scores', () => {
    const { eer } = equalErrorRate([0.3, 0.6, 0.7, 0.8], [0.1, 0.2, 0.4, 0.65]);
    expect(eer).toBeCloseTo(0.25, 9);
  });
});

describe('summarize and tally', () => {
  it('summarises scores and counts verdicts', () => {
    expect(summarize([3, 1, 2])).toEqual({ count: 3, min: 1, median: 2, max: 3 });
    expect(tally(['live', 'spoof', 'spoof', 'inconclusive'])).toEqual({ presentations: 4, live: 1, spoof: 2, inconclusive: 1 });
  });
});
