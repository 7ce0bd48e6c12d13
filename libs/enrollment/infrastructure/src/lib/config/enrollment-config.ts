import { registerAs } from '@nestjs/config';

/**
 * Enrollment configuration, validated at boot (STYLE.md §5): a bad value stops startup with a message that names
 * the variable, never its value (these are secrets).
 */
export interface EnrollmentConfig {
  /** Wraps every customer's data key (AES-256-GCM). 32 random bytes. */
  masterKey: Buffer;
  /** Recorded with each wrapped key so that a later rotation knows which master key wrapped it. */
  masterKeyId: string;
  /** argon2 "secret" (pepper) for PIN hashes: a stolen PIN table alone cannot be brute-forced offline. */
  pinPepper: Buffer;
  /** Templates not used for a payment in this many days are purged (default 3 years). */
  templateRetentionDays: number;
}

export const DEFAULT_TEMPLATE_RETENTION_DAYS = 1_095;

export class EnrollmentConfigError extends Error {
  constructor(message: string) {
    super(`enrollment config: ${message}`);
    this.name = 'EnrollmentConfigError';
  }
}

/** Decodes strict base64 of exactly 32 bytes; anything else (hex, short keys, stray characters) is refused. */
export function parseKey32(value: string | undefined, variable: string): Buffer {
  if (value === undefined || value.trim() === '')
    throw new EnrollmentConfigError(`${variable} is required (32 random bytes, base64)`);
  const text = value.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || text.length % 4 !== 0) {
    throw new EnrollmentConfigError(`${variable} must be base64`);
  }
  const key = Buffer.from(text, 'base64');
  if (key.length !== 32) throw new EnrollmentConfigError(`${variable} must decode to 32 bytes, not ${key.length}`);
  if (key.every((byte) => byte === key[0])) throw new EnrollmentConfigError(`${variable} is not random`);
  return key;
}

export function parseEnrollmentConfig(env: Record<string, string | undefined>): EnrollmentConfig {
  const masterKey = parseKey32(env['BIOMETRIC_MASTER_KEY'], 'BIOMETRIC_MASTER_KEY');
  const pinPepper = parseKey32(env['PIN_PEPPER'], 'PIN_PEPPER');
  if (masterKey.equals(pinPepper)) throw new EnrollmentConfigError('PIN_PEPPER must differ from BIOMETRIC_MASTER_KEY');
  const masterKeyId = env['BIOMETRIC_MASTER_KEY_ID']?.trim() || 'mk1';
  if (!/^[A-Za-z0-9_.-]{1,32}$/.test(masterKeyId)) {
    throw new EnrollmentConfigError('BIOMETRIC_MASTER_KEY_ID must be 1-32 characters of [A-Za-z0-9_.-]');
  }
  const retention = env['BIOMETRIC_RETENTION_DAYS']?.trim();
  const templateRetentionDays = retention ? Number(retention) : DEFAULT_TEMPLATE_RETENTION_DAYS;
  if (!Number.isInteger(templateRetentionDays) || templateRetentionDays < 1 || templateRetentionDays > 3_650) {
    throw new EnrollmentConfigError('BIOMETRIC_RETENTION_DAYS must be an integer number of days in [1, 3650]');
  }
  return { masterKey, masterKeyId, pinPepper, templateRetentionDays };
}

/** Nest config namespace `enrollment`; parsing at registration makes a bad value fail the boot. */
export const enrollmentConfig = registerAs('enrollment', () => parseEnrollmentConfig(process.env));
