import { readModelColumnTypes } from '@smilepay/shared/projections';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The payments, terminals, customers and transfer-event read models (see their entities for the meaning). */
export class CreateCheckoutReadModels1764400000000 implements MigrationInterface {
  readonly name = 'CreateCheckoutReadModels1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = readModelColumnTypes(queryRunner);
    const postgres = queryRunner.connection.options.type === 'postgres';
    const real = postgres ? 'DOUBLE PRECISION' : 'REAL';
    await queryRunner.query(
      `CREATE TABLE "payments" (` +
        `"checkout_id" varchar(128) NOT NULL PRIMARY KEY, "merchant_id" varchar(128) NOT NULL, ` +
        `"merchant_account_id" varchar(128) NOT NULL, "terminal_id" varchar(128) NOT NULL, "customer_id" varchar(128), ` +
        `"method" varchar(16) NOT NULL, "amount" ${t.money} NOT NULL, "currency" varchar(3) NOT NULL, ` +
        `"status" varchar(16) NOT NULL, "decision" varchar(16), "decline_reason" varchar(32), ` +
        `"liveness_verdict" varchar(16), "liveness_score" ${real}, "attack_species" varchar(64), "match_score" ${real}, ` +
        `"decision_latency_ms" integer, "transfer_id" varchar(64), "wallet_account_id" varchar(64), ` +
        `"captured_amount" ${t.money}, "refunded_amount" ${t.money} NOT NULL, "started_at" ${t.timestamp} NOT NULL, ` +
        `"decided_at" ${t.timestamp}, "updated_at" ${t.timestamp} NOT NULL, "started_position" ${t.position} NOT NULL, ` +
        `"last_position" ${t.position} NOT NULL)`,
    );
    await queryRunner.query(`CREATE INDEX "payments_started_idx" ON "payments" ("started_position")`);
    await queryRunner.query(`CREATE INDEX "payments_started_at_idx" ON "payments" ("started_at")`);
    await queryRunner.query(`CREATE INDEX "payments_decided_at_idx" ON "payments" ("decided_at")`);
    await queryRunner.query(`CREATE INDEX "payments_customer_idx" ON "payments" ("customer_id", "started_position")`);
    await queryRunner.query(`CREATE INDEX "payments_terminal_idx" ON "payments" ("terminal_id", "started_position")`);
    await queryRunner.query(
      `CREATE TABLE "terminals" (` +
        `"terminal_id" varchar(128) NOT NULL PRIMARY KEY, "merchant_id" varchar(128) NOT NULL, ` +
        `"registered_at" ${t.timestamp}, "consecutive_failures" integer NOT NULL, "locked_at" ${t.timestamp}, ` +
        `"locked_until" ${t.timestamp}, "payments_total" integer NOT NULL, "spoofs_total" integer NOT NULL, ` +
        `"day" varchar(10), "payments_day" integer NOT NULL, "spoofs_day" integer NOT NULL, ` +
        `"last_payment_at" ${t.timestamp}, "last_seen_at" ${t.timestamp}, "last_position" ${t.position} NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE TABLE "customers" (` +
        `"customer_id" varchar(128) NOT NULL PRIMARY KEY, "phone_masked" varchar(32) NOT NULL, ` +
        `"phone_last4" varchar(4) NOT NULL, "wallet_account_id" varchar(64) NOT NULL, ` +
        `"registered_at" ${t.timestamp} NOT NULL, "face_status" varchar(16) NOT NULL, "face_enrolled_at" ${t.timestamp}, ` +
        `"face_locked_until" ${t.timestamp}, "last_position" ${t.position} NOT NULL)`,
    );
    await queryRunner.query(`CREATE INDEX "customers_phone_last4_idx" ON "customers" ("phone_last4")`);
    if (postgres) {
      // Customer search is a LIKE 'prefix%'; PostgreSQL only uses a btree for it with the pattern operator class.
      await queryRunner.query(`CREATE INDEX "customers_id_prefix_idx" ON "customers" ("customer_id" varchar_pattern_ops)`);
    }
    await queryRunner.query(
      `CREATE TABLE "transfer_events" (` +
        `"transfer_id" varchar(64) NOT NULL, "position" ${t.position} NOT NULL, "stream_id" varchar(200) NOT NULL, ` +
        `"revision" ${t.position} NOT NULL, "type" varchar(64) NOT NULL, "related_id" varchar(64), ` +
        `PRIMARY KEY ("transfer_id", "position"))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "transfer_events"`);
    await queryRunner.query(`DROP TABLE "customers"`);
    await queryRunner.query(`DROP TABLE "terminals"`);
    await queryRunner.query(`DROP TABLE "payments"`);
  }
}
