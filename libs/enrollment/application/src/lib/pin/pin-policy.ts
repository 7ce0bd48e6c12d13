import { DomainError } from '@smilepay/shared/domain';

/**
 * A payment PIN is exactly 6 digits (as Alipay's payment password), and the guessable ones are refused (NIST
 * SP 800-63B §5.1.1.2 asks for a blocklist): one repeated digit, straight runs up or down, and the phone's own last
 * six digits, which a thief holding the phone reads off the SIM tray or the lock screen.
 */
export function checkPinPolicy(pin: string, phoneE164: string): void {
  if (typeof pin !== 'string' || !/^\d{6}$/.test(pin))
    throw new DomainError('pin_invalid', 'a PIN is exactly 6 digits');
  const digits = [...pin].map(Number);
  const steps = digits.slice(1).map((d, i) => (d - digits[i] + 10) % 10);
  const repeated = steps.every((s) => s === 0);
  const ascending = steps.every((s) => s === 1);
  const descending = steps.every((s) => s === 9);
  if (repeated || ascending || descending || phoneE164.endsWith(pin)) {
    throw new DomainError('pin_too_weak', 'this PIN is too easy to guess; choose another');
  }
}
