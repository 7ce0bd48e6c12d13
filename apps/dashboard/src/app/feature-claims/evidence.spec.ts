import { BORDERLINE_MARGIN, percentOf, readMatch } from './evidence';

describe('readMatch', () => {
  it('tells a match just above the threshold from a clear one', () => {
    expect(readMatch({ matchScore: 0.8 + BORDERLINE_MARGIN / 2, matchThreshold: 0.8 }).reading).toBe('borderline');
    expect(readMatch({ matchScore: 0.95, matchThreshold: 0.8 }).reading).toBe('clear');
  });

  it('reports a score below the threshold and its negative margin', () => {
    const view = readMatch({ matchScore: 0.7, matchThreshold: 0.8 });
    expect(view.reading).toBe('below');
    expect(view.margin).toBeCloseTo(-0.1);
  });

  it('says when there is no score to judge', () => {
    expect(readMatch({ matchScore: null, matchThreshold: 0.8 })).toEqual({ reading: 'no-score', margin: null });
    expect(readMatch({ matchScore: 0.9, matchThreshold: null })).toEqual({ reading: 'clear', margin: null });
  });
});

describe('percentOf', () => {
  it('pins out-of-range scores to the ends of the bar', () => {
    expect(percentOf(0.456)).toBe(45.6);
    expect(percentOf(-1)).toBe(0);
    expect(percentOf(3)).toBe(100);
    expect(percentOf(Number.NaN)).toBe(0);
  });
});
