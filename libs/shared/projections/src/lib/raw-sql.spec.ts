import { sqliteUtcDatetime } from './raw-sql';

describe('sqliteUtcDatetime', () => {
  it('writes the canonical spelling of events as SQLite text, without going through a Date', () => {
    expect(sqliteUtcDatetime('2026-11-25T12:00:00.123Z')).toBe('2026-11-25 12:00:00.123');
    expect(sqliteUtcDatetime('2024-02-29T23:59:59.999Z')).toBe('2024-02-29 23:59:59.999');
  });

  it('gives other spellings and rolled-over dates the instant Date gives them, as before', () => {
    expect(sqliteUtcDatetime('2026-02-30T00:00:00.000Z')).toBe('2026-03-02 00:00:00.000');
    expect(sqliteUtcDatetime('2025-02-29T00:00:00.000Z')).toBe('2025-03-01 00:00:00.000');
    expect(sqliteUtcDatetime('2026-11-25T13:00:00+01:00')).toBe('2026-11-25 12:00:00.000');
    expect(() => sqliteUtcDatetime('not a time')).toThrow(RangeError);
  });
});
