import type { MigrationInterface, QueryRunner } from 'typeorm';

const timestampType = (queryRunner: QueryRunner): string =>
  queryRunner.connection.options.type === 'postgres' ? 'timestamptz' : 'datetime';

/**
 * The biometric vault (templates, wrapped data keys, PIN hashes). These tables are NOT projections: they hold the
 * only copy of their data and a projection rebuild must never touch them.
 */
export class CreateBiometricVault1764300000000 implements MigrationInterface {
  readonly name = 'CreateBiometricVault1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const ts = timestampType(queryRunner);
    await queryRunner.query(
      `CREATE TABLE "biometric_templates" (` +
        `"ref" varchar(128) NOT NULL PRIMARY KEY, ` +
        `"customer_id" varchar(128) NOT NULL, ` +
        `"key_id" varchar(64) NOT NULL, ` +
        `"model_version" varchar(128) NOT NULL, ` +
        `"ciphertext" text, ` +
        `"iv" varchar(32), ` +
        `"tag" varchar(32), ` +
        `"created_at" ${ts} NOT NULL, ` +
        `"last_used_at" ${ts} NOT NULL, ` +
        `"erased_at" ${ts})`,
    );
    await queryRunner.query(`CREATE INDEX "ix_biometric_templates_customer" ON "biometric_templates" ("customer_id")`);
    await queryRunner.query(
      `CREATE INDEX "ix_biometric_templates_last_used" ON "biometric_templates" ("last_used_at")`,
    );
    await queryRunner.query(
      `CREATE TABLE "customer_keys" (` +
        `"customer_id" varchar(128) NOT NULL PRIMARY KEY, ` +
        `"key_id" varchar(64) NOT NULL, ` +
        `"wrapped_key" varchar(128) NOT NULL, ` +
        `"master_key_id" varchar(32) NOT NULL, ` +
        `"created_at" ${ts} NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE TABLE "customer_pins" (` +
        `"customer_id" varchar(128) NOT NULL PRIMARY KEY, ` +
        `"pin_hash" varchar(255) NOT NULL, ` +
        `"updated_at" ${ts} NOT NULL)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "customer_pins"`);
    await queryRunner.query(`DROP TABLE "customer_keys"`);
    await queryRunner.query(`DROP TABLE "biometric_templates"`);
  }
}

/** The phone index read model (projection `customer_phones`). */
export class CreateCustomerPhoneIndex1764300000100 implements MigrationInterface {
  readonly name = 'CreateCustomerPhoneIndex1764300000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "customer_phones" (` +
        `"customer_id" varchar(128) NOT NULL PRIMARY KEY, ` +
        `"phone_e164" varchar(16) NOT NULL, ` +
        `"phone_last4" varchar(4) NOT NULL, ` +
        `"registered_at" ${timestampType(queryRunner)} NOT NULL)`,
    );
    await queryRunner.query(`CREATE INDEX "ix_customer_phones_phone" ON "customer_phones" ("phone_e164")`);
    await queryRunner.query(`CREATE INDEX "ix_customer_phones_last4" ON "customer_phones" ("phone_last4")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "customer_phones"`);
  }
}
