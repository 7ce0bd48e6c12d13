import { compareMinor, formatMinor, minorToMajorInput, parseMajorToMinor, scaleOf } from './money';

describe('formatMinor', () => {
  it.each([
    ['0', 'EUR', '0.00 EUR'],
    ['5', 'EUR', '0.05 EUR'],
    ['99', 'USD', '0.99 USD'],
    ['100', 'GBP', '1.00 GBP'],
    ['123456', 'EUR', '1,234.56 EUR'],
    ['100000000', 'CNY', '1,000,000.00 CNY'],
    ['1500', 'JPY', '1,500 JPY'],
    ['7', 'JPY', '7 JPY'],
    ['-1250', 'EUR', '-12.50 EUR'],
    ['-0', 'EUR', '0.00 EUR'],
  ])('formats %s %s as %s', (minor, currency, expected) => {
    expect(formatMinor(minor, currency)).toBe(expected);
  });

  it('keeps every digit of amounts beyond the float-safe range', () => {
    // 2^53 + 1 minor units: Number() would round this to ...992.
    expect(formatMinor('9007199254740993', 'EUR')).toBe('90,071,992,547,409.93 EUR');
    expect(formatMinor('999999999999999999', 'JPY')).toBe('999,999,999,999,999,999 JPY');
  });

  it.each(['', '12.50', '1e3', '0012', ' 12', 'abc', '--1'])('refuses the malformed amount %j', (minor) => {
    expect(formatMinor(minor, 'EUR')).toMatch(/^invalid amount/);
  });

  it('shows an unknown currency as raw minor units instead of guessing a scale', () => {
    expect(formatMinor('1250', 'XBT')).toBe('1250 minor units of XBT');
  });
});

describe('scaleOf', () => {
  it('knows the fixed scale of each supported currency', () => {
    expect(['EUR', 'USD', 'GBP', 'CNY', 'JPY'].map(scaleOf)).toEqual([2, 2, 2, 2, 0]);
    expect(scaleOf('eur')).toBeNull();
  });
});

describe('parseMajorToMinor', () => {
  it.each([
    ['12.50', 'EUR', '1250'],
    ['12.5', 'EUR', '1250'],
    ['12', 'EUR', '1200'],
    ['.07', 'EUR', '7'],
    ['1,234.56', 'USD', '123456'],
    [' 0012.30 ', 'GBP', '1230'],
    ['1500', 'JPY', '1500'],
    ['90071992547409.93', 'EUR', '9007199254740993'],
  ])('reads %j %s as %s minor units', (input, currency, expected) => {
    expect(parseMajorToMinor(input, currency)).toEqual({ ok: true, amountMinor: expected });
  });

  it.each([
    ['12.345', 'EUR'],
    ['12.5', 'JPY'],
    ['-5', 'EUR'],
    ['0', 'EUR'],
    ['0.00', 'EUR'],
    ['', 'EUR'],
    ['.', 'EUR'],
    ['1e3', 'EUR'],
    ['12', 'XBT'],
    ['99999999999999999.99', 'EUR'],
  ])('refuses %j %s', (input, currency) => {
    expect(parseMajorToMinor(input, currency).ok).toBe(false);
  });
});

describe('minorToMajorInput', () => {
  it('is the inverse of parseMajorToMinor', () => {
    for (const [minor, currency] of [['1250', 'EUR'], ['7', 'USD'], ['1500', 'JPY'], ['9007199254740993', 'EUR']]) {
      const input = minorToMajorInput(minor, currency);
      expect(parseMajorToMinor(input, currency)).toEqual({ ok: true, amountMinor: minor });
    }
    expect(minorToMajorInput('1250', 'EUR')).toBe('12.50');
  });
});

describe('compareMinor', () => {
  it('compares exactly where numbers would not', () => {
    expect(compareMinor('9007199254740993', '9007199254740992')).toBe(1);
    expect(compareMinor('100', '1000')).toBe(-1);
    expect(compareMinor('42', '42')).toBe(0);
  });
});
