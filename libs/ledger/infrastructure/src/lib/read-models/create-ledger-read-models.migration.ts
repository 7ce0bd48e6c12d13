import { readModelColumnTypes } from '@smilepay/shared/projections';
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateLedgerReadModels1764100001000 implements MigrationInterface {
  readonly name = 'CreateLedgerReadModels1764100001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = readModelColumnTypes(queryRunner);
    await queryRunner.query(
      `CREATE TABLE "ledger_accounts" (` +
        `"id" varchar(64) NOT NULL PRIMARY KEY, "kind" varchar(32) NOT NULL, "currency" varchar(3) NOT NULL, ` +
        `"ledger" integer NOT NULL, "code" integer NOT NULL, "flags" text NOT NULL, ` +
        `"debits_pending" ${t.money} NOT NULL, "debits_posted" ${t.money} NOT NULL, ` +
        `"credits_pending" ${t.money} NOT NULL, "credits_posted" ${t.money} NOT NULL, ` +
        `"opened_at" ${t.timestamp} NOT NULL, "last_position" ${t.position} NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE TABLE "ledger_transfers" (` +
        `"id" varchar(64) NOT NULL PRIMARY KEY, "batch_id" varchar(64), "kind" varchar(16) NOT NULL, ` +
        `"debit_account_id" varchar(64) NOT NULL, "credit_account_id" varchar(64) NOT NULL, ` +
        `"amount" ${t.money} NOT NULL, "currency" varchar(3) NOT NULL, "ledger" integer NOT NULL, ` +
        `"code" integer NOT NULL, "state" varchar(16) NOT NULL, "pending_id" varchar(64), ` +
        `"posted_amount" ${t.money}, "timeout_seconds" integer NOT NULL, "created_at" ${t.timestamp} NOT NULL, ` +
        `"expires_at" ${t.timestamp}, "resolved_at" ${t.timestamp}, "stream" varchar(200) NOT NULL, ` +
        `"position" ${t.position} NOT NULL)`,
    );
    await queryRunner.query(`CREATE INDEX "ledger_transfers_debit_idx" ON "ledger_transfers" ("debit_account_id", "position")`);
    await queryRunner.query(`CREATE INDEX "ledger_transfers_credit_idx" ON "ledger_transfers" ("credit_account_id", "position")`);
    await queryRunner.query(`CREATE INDEX "ledger_transfers_pending_idx" ON "ledger_transfers" ("pending_id")`);
    await queryRunner.query(`CREATE INDEX "ledger_transfers_state_expiry_idx" ON "ledger_transfers" ("state", "expires_at")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "ledger_transfers"`);
    await queryRunner.query(`DROP TABLE "ledger_accounts"`);
  }
}
