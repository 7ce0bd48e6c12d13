import { randomBytes } from 'node:crypto';
import { DEFAULT_TEMPLATE_RETENTION_DAYS, EnrollmentConfigError, parseEnrollmentConfig } from './enrollment-config';

const key = () => randomBytes(32).toString('base64');

describe('parseEnrollmentConfig', () => {
  it('reads the keys and defaults retention to 3 years', () => {
    const master = key();
    const config = parseEnrollmentConfig({ BIOMETRIC_MASTER_KEY: master, PIN_PEPPER: key() });
    expect(config.masterKey.equals(Buffer.from(master, 'base64'))).toBe(true);
    expect(config.masterKeyId).toBe('mk1');
    expect(config.templateRetentionDays).toBe(DEFAULT_TEMPLATE_RETENTION_DAYS);
    expect(
      parseEnrollmentConfig({ BIOMETRIC_MASTER_KEY: master, PIN_PEPPER: key(), BIOMETRIC_RETENTION_DAYS: '30' })
        .templateRetentionDays,
    ).toBe(30);
  });

  it.each([
    ['a missing master key', { PIN_PEPPER: key() }, /BIOMETRIC_MASTER_KEY is required/],
    [
      'a 16-byte key',
      { BIOMETRIC_MASTER_KEY: randomBytes(16).toString('base64'), PIN_PEPPER: key() },
      /32 bytes, not 16/,
    ],
    [
      'a hex key',
      { BIOMETRIC_MASTER_KEY: randomBytes(32).toString('hex'), PIN_PEPPER: key() },
      /must be base64|32 bytes/,
    ],
    ['an all-zero key', { BIOMETRIC_MASTER_KEY: Buffer.alloc(32).toString('base64'), PIN_PEPPER: key() }, /not random/],
    ['a missing pepper', { BIOMETRIC_MASTER_KEY: key() }, /PIN_PEPPER is required/],
    [
      'a retention of 0 days',
      { BIOMETRIC_MASTER_KEY: key(), PIN_PEPPER: key(), BIOMETRIC_RETENTION_DAYS: '0' },
      /RETENTION_DAYS/,
    ],
    [
      'a fractional retention',
      { BIOMETRIC_MASTER_KEY: key(), PIN_PEPPER: key(), BIOMETRIC_RETENTION_DAYS: '1.5' },
      /RETENTION_DAYS/,
    ],
    ['a bad key id', { BIOMETRIC_MASTER_KEY: key(), PIN_PEPPER: key(), BIOMETRIC_MASTER_KEY_ID: 'a b' }, /KEY_ID/],
  ])('refuses %s', (_name, env, message) => {
    expect(() => parseEnrollmentConfig(env)).toThrow(EnrollmentConfigError);
    expect(() => parseEnrollmentConfig(env)).toThrow(message);
  });

  it('refuses the same key for both purposes, and never echoes a key in its messages', () => {
    const same = key();
    expect(() => parseEnrollmentConfig({ BIOMETRIC_MASTER_KEY: same, PIN_PEPPER: same })).toThrow(/must differ/);
    const bad = randomBytes(16).toString('base64');
    try {
      parseEnrollmentConfig({ BIOMETRIC_MASTER_KEY: bad, PIN_PEPPER: key() });
    } catch (error) {
      expect((error as Error).message).not.toContain(bad);
    }
  });
});
