import { formatDuration } from './duration.pipe';

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [45, '45s'],
    [60, '1m'],
    [3_720, '1h 2m'],
    [3_605, '1h'],
    [200_000, '2d 7h'],
    [-1, '—'],
    [Number.NaN, '—'],
  ])('%s seconds is %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});
