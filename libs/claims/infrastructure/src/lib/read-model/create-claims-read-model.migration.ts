import { readModelColumnTypes } from '@smilepay/shared/projections';
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateClaimsReadModel1764500000000 implements MigrationInterface {
  readonly name = 'CreateClaimsReadModel1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = readModelColumnTypes(queryRunner);
    await queryRunner.query(
      `CREATE TABLE "claims" (` +
        `"claim_id" varchar(128) NOT NULL PRIMARY KEY, "customer_id" varchar(128) NOT NULL, "payment_ids" text NOT NULL, ` +
        `"claimed_minor" ${t.money} NOT NULL, "currency" varchar(3) NOT NULL, "reason" text NOT NULL, ` +
        `"status" varchar(16) NOT NULL, "filed_by" varchar(128) NOT NULL, "assignee" varchar(128), ` +
        `"filed_at" ${t.timestamp} NOT NULL, "decided_at" ${t.timestamp}, "approved_minor" ${t.money}, ` +
        `"reimbursed_at" ${t.timestamp}, "rejection_reason" text, "evidence_attached" boolean NOT NULL, ` +
        `"face_locked" boolean NOT NULL, "last_position" ${t.position} NOT NULL)`,
    );
    await queryRunner.query(`CREATE INDEX "claims_status_filed_idx" ON "claims" ("status", "filed_at")`);
    await queryRunner.query(`CREATE INDEX "claims_customer_idx" ON "claims" ("customer_id")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "claims"`);
  }
}
