import { assertLedgerId, isLedgerId } from './identifiers';
import { addSeconds, isAtOrAfter, parseIsoTime } from './time';

describe('time', () => {
  it('accepts only the canonical ISO-8601 UTC spelling', () => {
    expect(parseIsoTime('2025-03-01T10:00:00.000Z', 't')).toBe(Date.UTC(2025, 2, 1, 10));
    for (const bad of ['2025-03-01T10:00:00Z', '2025-03-01T10:00:00.000+01:00', '2025-02-30T00:00:00.000Z', '', 17]) {
      expect(() => parseIsoTime(bad, 't')).toThrow(expect.objectContaining({ code: 'invalid_time' }));
    }
  });

  it('adds seconds and compares instants', () => {
    expect(addSeconds('2025-12-31T23:59:30.000Z', 45)).toBe('2026-01-01T00:00:15.000Z');
    expect(isAtOrAfter('2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z')).toBe(true);
    expect(isAtOrAfter('2024-12-31T23:59:59.999Z', '2025-01-01T00:00:00.000Z')).toBe(false);
  });
});

describe('ledger ids', () => {
  it('accept lowercase uuids only, never nil or max', () => {
    expect(isLedgerId('0190b2c4-7d1e-7a3b-9c4d-5e6f7a8b9c0d')).toBe(true);
    for (const bad of [
      '0190B2C4-7D1E-7A3B-9C4D-5E6F7A8B9C0D',
      '00000000-0000-0000-0000-000000000000',
      'ffffffff-ffff-ffff-ffff-ffffffffffff',
      'x',
      7,
    ]) {
      expect(isLedgerId(bad)).toBe(false);
    }
    expect(() => assertLedgerId('x', 'id')).toThrow(expect.objectContaining({ code: 'invalid_id', kind: 'invalid' }));
  });
});
