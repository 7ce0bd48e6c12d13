import { median, percentile } from './least-squares';

/** The definition: the middle of the sorted values (the mean of the two middle ones for an even count). */
function sortedMedian(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

describe('median', () => {
  it('selects exactly the sorted middle value, for odd and even counts, with ties and from typed arrays', () => {
    let seed = 7;
    const next = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let n = 1; n <= 60; n++) {
      for (const ties of [false, true]) {
        const values = Array.from({ length: n }, () => (ties ? Math.floor(next() * 5) : next() * 200 - 100));
        expect(median(values)).toBe(sortedMedian(values));
        expect(median(Float64Array.from(values))).toBe(sortedMedian(values));
      }
    }
    expect(median([3, 3, 3, 3])).toBe(3);
    expect(median([])).toBeNaN();
  });

  it('leaves its input in place and still answers when a NaN is present (sorted last, as before)', () => {
    const values = [5, 1, 4, 2, 3];
    median(values);
    expect(values).toEqual([5, 1, 4, 2, 3]);
    expect(median([Number.NaN, 1, 2])).toBe(2);
    expect(percentile([4, 1, 3, 2], 1)).toBe(4);
  });
});
