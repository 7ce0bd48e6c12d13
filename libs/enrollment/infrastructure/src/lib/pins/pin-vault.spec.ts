import { randomBytes } from 'node:crypto';
import { openTestReadModelDatabase, runSql, type TestReadModelDatabase } from '@smilepay/shared/projections';
import { enrollmentEntities, enrollmentMigrations } from '../enrollment-read-models';
import { PinVault } from './pin-vault';

const T0 = new Date('2025-01-01T10:00:00.000Z');

describe.each(['sqlite', 'postgres'] as const)('PinVault on %s', (dialect) => {
  let db: TestReadModelDatabase;
  let pins: PinVault;
  const pepper = randomBytes(32);

  beforeAll(async () => {
    db = await openTestReadModelDatabase(dialect, { entities: enrollmentEntities, migrations: enrollmentMigrations });
    pins = new PinVault(db.dataSource, { pepper });
  });
  afterAll(() => db.dispose());

  it('keeps only a peppered argon2id hash and verifies the PIN against it', async () => {
    await pins.setPin('cus_a', '482916', T0);
    const { rows } = await runSql<{ pin_hash: string }>(
      db.dataSource.manager,
      `SELECT "pin_hash" FROM "customer_pins"`,
    );
    expect(rows[0].pin_hash).toMatch(/^\$argon2id\$/);
    expect(rows[0].pin_hash).not.toContain('482916');
    expect(await pins.check('cus_a', '482916')).toBe('verified');
    expect(await pins.check('cus_a', '482917')).toBe('failed');
    expect(await pins.check('cus_nobody', '482916')).toBe('not_set');
    // Without the pepper the hash is useless, so a stolen table alone cannot be brute-forced.
    expect(await new PinVault(db.dataSource, { pepper: randomBytes(32) }).check('cus_a', '482916')).toBe('failed');
  });

  it('replaces the PIN and can remove it', async () => {
    await pins.setPin('cus_b', '111111', T0);
    await pins.setPin('cus_b', '730194', T0);
    expect(await pins.check('cus_b', '111111')).toBe('failed');
    expect(await pins.check('cus_b', '730194')).toBe('verified');
    await pins.remove('cus_b');
    expect(await pins.check('cus_b', '730194')).toBe('not_set');
  });

  it('refuses an empty or oversized PIN before hashing', async () => {
    await expect(pins.setPin('cus_c', '', T0)).rejects.toThrow(RangeError);
    await expect(pins.check('cus_c', 'x'.repeat(65))).rejects.toThrow(RangeError);
  });
});
