import { positionTransformer } from '@smilepay/shared/projections';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Where each ledger event about a transfer id sits in the store (projection `transfer_events`). A payment's pending
 * transfer lives in its wallet's stream among every other payment of that wallet; this index lets the timeline read
 * exactly its events (by stream and revision) instead of scanning the stream.
 */
@Entity({ name: 'transfer_events' })
export class TransferEventEntity {
  @PrimaryColumn({ name: 'transfer_id', type: 'varchar', length: 64 })
  transferId!: string;

  @PrimaryColumn({ type: 'bigint', transformer: positionTransformer })
  position!: bigint;

  @Column({ name: 'stream_id', type: 'varchar', length: 200 })
  streamId!: string;

  @Column({ type: 'bigint', transformer: positionTransformer })
  revision!: bigint;

  @Column({ type: 'varchar', length: 64 })
  type!: string;

  /** For a post or void indexed under its pending id: the post's or void's own id (its claim is indexed under it). */
  @Column({ name: 'related_id', type: 'varchar', length: 64, nullable: true })
  relatedId!: string | null;
}
