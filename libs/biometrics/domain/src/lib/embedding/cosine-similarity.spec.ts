import { cosineSimilarity, l2Normalize } from './cosine-similarity';

describe('cosineSimilarity', () => {
  it('is 1 for the same direction whatever the lengths', () => {
    expect(cosineSimilarity([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12);
  });

  it('is -1 for opposite and 0 for orthogonal vectors', () => {
    expect(cosineSimilarity([1, 0], [-3, 0])).toBeCloseTo(-1, 12);
    expect(cosineSimilarity([1, 0], [0, 5])).toBeCloseTo(0, 12);
  });

  it('matches the dot product of normalised Float32Arrays', () => {
    const a = l2Normalize(Float32Array.from([0.3, -1.2, 4, 0.5]));
    const b = l2Normalize(Float32Array.from([1, 1, 1, -2]));
    const dot = a.reduce((s, v, i) => s + v * b[i], 0);
    expect(cosineSimilarity(a, b)).toBeCloseTo(dot, 6);
  });

  it('scores a zero vector 0 instead of NaN', () => {
    expect(cosineSimilarity([0, 0, 0], [1, 2, 3])).toBe(0);
  });

  it('refuses embeddings of different lengths or empty ones', () => {
    expect(() => cosineSimilarity([1, 2], [1, 2, 3])).toThrow(RangeError);
    expect(() => cosineSimilarity([], [])).toThrow(RangeError);
  });
});

describe('l2Normalize', () => {
  it('returns a unit vector and leaves the zero vector at zero', () => {
    const v = l2Normalize([3, 4]);
    expect(Array.from(v)).toEqual([expect.closeTo(0.6, 6), expect.closeTo(0.8, 6)]);
    expect(Array.from(l2Normalize([0, 0]))).toEqual([0, 0]);
  });
});
