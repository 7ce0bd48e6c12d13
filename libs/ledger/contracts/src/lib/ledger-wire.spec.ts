import { formatMinorAmount, isMinorAmount } from './ledger-wire';

describe('ledger wire helpers', () => {
  it('accepts well-spelled minor amounts only', () => {
    for (const good of ['0', '1', '1050', '9223372036854775807']) expect(isMinorAmount(good)).toBe(true);
    for (const bad of ['', '01', '-1', '+1', '1.5', '1e3', ' 1', '12345678901234567890', 1050, null])
      expect(isMinorAmount(bad)).toBe(false);
  });

  it('formats minor amounts with the currency scale without going through a number', () => {
    expect(formatMinorAmount('1050', 'EUR')).toBe('10.50');
    expect(formatMinorAmount('5', 'USD')).toBe('0.05');
    expect(formatMinorAmount('-250', 'GBP')).toBe('-2.50');
    expect(formatMinorAmount('1200', 'JPY')).toBe('1200');
    expect(formatMinorAmount('9223372036854775807', 'EUR')).toBe('92233720368547758.07');
  });
});
