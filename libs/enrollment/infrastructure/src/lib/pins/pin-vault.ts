import { hash, verify } from 'argon2';
import type { DataSource } from 'typeorm';
import { readModelTransaction, runSql } from '@smilepay/shared/projections';

export interface PinVaultOptions {
  /** argon2's `secret`: without it, the hashes in a stolen table cannot be attacked offline. */
  pepper: Buffer;
}

export type PinCheck = 'verified' | 'failed' | 'not_set';

/** OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane): tens of milliseconds per check. */
const ARGON2_OPTIONS = { type: 2 as const, memoryCost: 19_456, timeCost: 2, parallelism: 1 };
const MAX_PIN_LENGTH = 64;

/**
 * PIN hashes (argon2id, peppered) in `customer_pins`. PINs are never logged or put in events; the customer stream only
 * records PinSet. The PIN's format rules are the application's (see pin-policy); here any short string is hashed.
 */
export class PinVault {
  private dummyHash: Promise<string> | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly options: PinVaultOptions,
  ) {}

  async setPin(customerId: string, pin: string, at: Date): Promise<void> {
    requirePinShape(pin);
    const pinHash = await hash(pin, { ...ARGON2_OPTIONS, secret: this.options.pepper });
    await readModelTransaction(this.dataSource, (tx) =>
      runSql(
        tx,
        `INSERT INTO "customer_pins" ("customer_id", "pin_hash", "updated_at") VALUES (:customerId, :pinHash, :at) ` +
          `ON CONFLICT ("customer_id") DO UPDATE SET "pin_hash" = excluded."pin_hash", "updated_at" = excluded."updated_at"`,
        { customerId, pinHash, at },
      ),
    );
  }

  async check(customerId: string, pin: string): Promise<PinCheck> {
    requirePinShape(pin);
    const { rows } = await runSql<{ pin_hash: string }>(
      this.dataSource.manager,
      `SELECT "pin_hash" FROM "customer_pins" WHERE "customer_id" = :customerId`,
      { customerId },
    );
    if (rows.length === 0) {
      // Spend the same time as a real check, so response times do not tell which customers have a PIN.
      await verify(await this.dummy(), pin, { secret: this.options.pepper });
      return 'not_set';
    }
    return (await verify(rows[0].pin_hash, pin, { secret: this.options.pepper })) ? 'verified' : 'failed';
  }

  async remove(customerId: string): Promise<void> {
    await readModelTransaction(this.dataSource, (tx) =>
      runSql(tx, `DELETE FROM "customer_pins" WHERE "customer_id" = :customerId`, { customerId }),
    );
  }

  private dummy(): Promise<string> {
    this.dummyHash ??= hash('not-a-pin', { ...ARGON2_OPTIONS, secret: this.options.pepper });
    return this.dummyHash;
  }
}

function requirePinShape(pin: string): void {
  if (typeof pin !== 'string' || pin.length === 0 || pin.length > MAX_PIN_LENGTH)
    throw new RangeError('a PIN must be 1-64 characters');
}
