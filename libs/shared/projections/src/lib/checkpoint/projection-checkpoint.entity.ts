import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One row per projection: the store position of the last event whose effects are committed.
 * The position is a decimal string so it is exact on both databases (no JS number, no driver-specific bigint).
 */
@Entity({ name: 'projection_checkpoints' })
export class ProjectionCheckpointEntity {
  @PrimaryColumn({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'varchar', length: 20 })
  position!: string;

  @Column({ name: 'updated_at', type: Date })
  updatedAt!: Date;
}
