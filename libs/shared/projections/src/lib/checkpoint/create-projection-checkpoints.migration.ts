import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateProjectionCheckpoints1764100000000 implements MigrationInterface {
  readonly name = 'CreateProjectionCheckpoints1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const timestamp = queryRunner.connection.options.type === 'postgres' ? 'timestamptz' : 'datetime';
    await queryRunner.query(
      `CREATE TABLE "projection_checkpoints" (` +
        `"name" varchar(100) NOT NULL PRIMARY KEY, ` +
        `"position" varchar(20) NOT NULL, ` +
        `"updated_at" ${timestamp} NOT NULL)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "projection_checkpoints"`);
  }
}
