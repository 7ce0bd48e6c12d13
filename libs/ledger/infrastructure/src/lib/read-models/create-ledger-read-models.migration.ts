import { readModelColumnTypes } from '@smilepay/shared/projections';
import type { MigrationInterface, QueryRunner } from 'typeorm';

const transfersIndex = (name: string, columns: string) => ({
  name,
  create: `CREATE INDEX IF NOT EXISTS "${name}" ON "ledger_transfers" (${columns})`,
});

/**
 * The query indexes of `ledger_transfers` (account statements, a pending transfer's resolution, the expiry sweep).
 * Part of this migration, and the statements a rebuild runs again after replaying without them.
 */
export const LEDGER_TRANSFERS_QUERY_INDEXES = [
  transfersIndex('ledger_transfers_debit_idx', '"debit_account_id", "position"'),
  transfersIndex('ledger_transfers_credit_idx', '"credit_account_id", "position"'),
  transfersIndex('ledger_transfers_pending_idx', '"pending_id"'),
  transfersIndex('ledger_transfers_state_expiry_idx', '"state", "expires_at"'),
] as const;

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
    for (const index of LEDGER_TRANSFERS_QUERY_INDEXES) await queryRunner.query(index.create);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "ledger_transfers"`);
    await queryRunner.query(`DROP TABLE "ledger_accounts"`);
  }
}
