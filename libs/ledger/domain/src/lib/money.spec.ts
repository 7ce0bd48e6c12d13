import { DomainError } from '@smilepay/shared/domain';
import {
  InvalidAmountError,
  MAX_AMOUNT_MINOR,
  UnsupportedCurrencyError,
  currencyScale,
  formatMajor,
  formatMinor,
  parseCurrency,
  parseMajor,
  parseMinor,
} from './money';

describe('money', () => {
  describe('parseMinor', () => {
    it.each([
      ['1', 1n],
      ['1050', 1050n],
      ['9223372036854775807', MAX_AMOUNT_MINOR],
    ])('parses %s', (input, expected) => {
      expect(parseMinor(input)).toBe(expected);
    });

    it.each([
      '0',
      '-1',
      '+1',
      '1.0',
      '1e3',
      ' 1',
      '1 ',
      '',
      '01',
      '0x10',
      '١٢',
      '9223372036854775808',
      '99999999999999999999',
    ])('refuses %j', (input) => {
      expect(() => parseMinor(input)).toThrow(InvalidAmountError);
    });

    it('refuses non-strings, numbers included: no number money', () => {
      for (const input of [1, 1n, null, undefined, {}]) expect(() => parseMinor(input)).toThrow(InvalidAmountError);
    });

    it('accepts zero only when asked (balances)', () => {
      expect(parseMinor('0', { allowZero: true })).toBe(0n);
      expect(() => parseMinor('00', { allowZero: true })).toThrow(InvalidAmountError);
    });

    it('raises a typed DomainError of kind invalid', () => {
      const error = (() => {
        try {
          parseMinor('-5');
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ code: 'invalid_amount', kind: 'invalid' });
    });
  });

  describe('formatMinor', () => {
    it('round-trips with parseMinor', () => {
      for (const value of [1n, 10n, 1050n, MAX_AMOUNT_MINOR]) expect(parseMinor(formatMinor(value))).toBe(value);
    });

    it('keeps the sign of a negative balance', () => {
      expect(formatMinor(-250n)).toBe('-250');
    });
  });

  describe('currencies', () => {
    it('have fixed scales', () => {
      expect(['EUR', 'USD', 'GBP', 'CNY', 'JPY'].map((c) => currencyScale(parseCurrency(c)))).toEqual([2, 2, 2, 2, 0]);
    });

    it.each(['eur', 'XXX', '', 1])('refuses %j', (input) => {
      expect(() => parseCurrency(input)).toThrow(UnsupportedCurrencyError);
    });
  });

  describe('major units', () => {
    it.each([
      [1050n, 'EUR', '10.50'],
      [5n, 'EUR', '0.05'],
      [-5n, 'USD', '-0.05'],
      [1200n, 'JPY', '1200'],
    ] as const)('formats %s %s as %s', (value, currency, text) => {
      expect(formatMajor(value, currency)).toBe(text);
    });

    it.each([
      ['10.5', 'EUR', 1050n],
      ['10.50', 'EUR', 1050n],
      ['10', 'EUR', 1000n],
      ['1200', 'JPY', 1200n],
    ] as const)('parses %s %s', (text, currency, value) => {
      expect(parseMajor(text, currency)).toBe(value);
    });

    it.each([
      ['10.501', 'EUR'],
      ['1.5', 'JPY'],
      ['-1', 'EUR'],
      ['0.00', 'EUR'],
      ['1,5', 'EUR'],
    ] as const)('refuses %s %s', (text, currency) => {
      expect(() => parseMajor(text, currency)).toThrow(InvalidAmountError);
    });
  });
});
