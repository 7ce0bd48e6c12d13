import { readModelColumnTypes } from '@smilepay/shared/projections';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The alerts read model, and the detector's own memory: checkouts (to find a payment's terminal), recent activity
 * (the rules' windows) and the terminals each customer has paid at. All are projections: rebuildable from `$all`.
 */
export class CreateRiskTables1764500001000 implements MigrationInterface {
  readonly name = 'CreateRiskTables1764500001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = readModelColumnTypes(queryRunner);
    await queryRunner.query(
      `CREATE TABLE "risk_alerts" (` +
        `"alert_id" varchar(64) NOT NULL PRIMARY KEY, "rule" varchar(32) NOT NULL, "severity" varchar(8) NOT NULL, ` +
        `"subject_type" varchar(8) NOT NULL, "subject_id" varchar(128) NOT NULL, "customer_id" varchar(128), ` +
        `"terminal_id" varchar(128), "checkout_id" varchar(128) NOT NULL, "message" text NOT NULL, ` +
        `"status" varchar(16) NOT NULL, "raised_at" ${t.timestamp} NOT NULL, "acknowledged_by" varchar(128), ` +
        `"resolution" varchar(64), "updated_at" ${t.timestamp} NOT NULL, "last_position" ${t.position} NOT NULL)`,
    );
    await queryRunner.query(`CREATE INDEX "risk_alerts_status_raised_idx" ON "risk_alerts" ("status", "raised_at")`);
    await queryRunner.query(
      `CREATE TABLE "risk_checkouts" ("checkout_id" varchar(128) NOT NULL PRIMARY KEY, ` +
        `"terminal_id" varchar(128) NOT NULL, "at_ms" ${t.position} NOT NULL)`,
    );
    await queryRunner.query(`CREATE INDEX "risk_checkouts_at_idx" ON "risk_checkouts" ("at_ms")`);
    await queryRunner.query(
      `CREATE TABLE "risk_activity" ("event_id" varchar(64) NOT NULL, "kind" varchar(24) NOT NULL, ` +
        `"subject_id" varchar(128) NOT NULL, "amount_minor" ${t.money}, "currency" varchar(3), "at_ms" ${t.position} NOT NULL, ` +
        `PRIMARY KEY ("event_id", "kind"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "risk_activity_subject_idx" ON "risk_activity" ("kind", "subject_id", "at_ms")`,
    );
    await queryRunner.query(`CREATE INDEX "risk_activity_at_idx" ON "risk_activity" ("at_ms")`);
    await queryRunner.query(
      `CREATE TABLE "risk_customer_terminals" ("customer_id" varchar(128) NOT NULL, "terminal_id" varchar(128) NOT NULL, ` +
        `"first_at_ms" ${t.position} NOT NULL, PRIMARY KEY ("customer_id", "terminal_id"))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['risk_customer_terminals', 'risk_activity', 'risk_checkouts', 'risk_alerts']) {
      await queryRunner.query(`DROP TABLE "${table}"`);
    }
  }
}
