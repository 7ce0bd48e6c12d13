import { timeOrderedUuid } from './event-id';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('timeOrderedUuid', () => {
  it('makes version 7 uuids that carry the current time in milliseconds', () => {
    const before = Date.now();
    const id = timeOrderedUuid();
    const after = Date.now();
    expect(id).toMatch(UUID_V7);
    const ms = parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
    expect(ms).toBeGreaterThanOrEqual(before);
    // A burst may have borrowed a few milliseconds ahead (the counter overflowed), never more than that.
    expect(ms).toBeLessThanOrEqual(after + 100);
  });

  it('sorts in the order the ids were made, within one millisecond too, and never repeats', () => {
    const ids = Array.from({ length: 20_000 }, () => timeOrderedUuid());
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id, i) => i === 0 || ids[i - 1] < id)).toBe(true);
    expect(ids.filter((id) => !UUID_V7.test(id))).toEqual([]);
  });
});
