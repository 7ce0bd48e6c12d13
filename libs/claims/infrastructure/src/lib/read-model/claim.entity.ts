import { moneyTransformer, positionTransformer } from '@smilepay/shared/projections';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

const money = { type: 'numeric', precision: 39, scale: 0, transformer: moneyTransformer } as const;

/** One row per loss claim (projection `claims`). Payment ids are a JSON array: a claim names at most 20. */
@Entity({ name: 'claims' })
@Index('claims_status_filed_idx', ['status', 'filedAt'])
export class ClaimEntity {
  @PrimaryColumn({ name: 'claim_id', type: 'varchar', length: 128 })
  claimId!: string;

  @Column({ name: 'customer_id', type: 'varchar', length: 128 })
  customerId!: string;

  @Column({ name: 'payment_ids', type: 'simple-json' })
  paymentIds!: string[];

  @Column({ name: 'claimed_minor', ...money })
  claimedMinor!: bigint;

  @Column({ type: 'varchar', length: 3 })
  currency!: string;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: 'filed' | 'assigned' | 'approved' | 'reimbursed' | 'rejected';

  @Column({ name: 'filed_by', type: 'varchar', length: 128 })
  filedBy!: string;

  @Column({ type: 'varchar', length: 128, nullable: true })
  assignee!: string | null;

  @Column({ name: 'filed_at', type: Date })
  filedAt!: Date;

  /** When it was approved or rejected: the SLA clock stops here. */
  @Column({ name: 'decided_at', type: Date, nullable: true })
  decidedAt!: Date | null;

  @Column({ name: 'approved_minor', ...money, nullable: true })
  approvedMinor!: bigint | null;

  @Column({ name: 'reimbursed_at', type: Date, nullable: true })
  reimbursedAt!: Date | null;

  @Column({ name: 'rejection_reason', type: 'text', nullable: true })
  rejectionReason!: string | null;

  @Column({ name: 'evidence_attached', type: 'boolean' })
  evidenceAttached!: boolean;

  @Column({ name: 'face_locked', type: 'boolean' })
  faceLocked!: boolean;

  /** Store position of the last event applied to this row: an event at or below it is never applied again. */
  @Column({ name: 'last_position', type: 'bigint', transformer: positionTransformer })
  lastPosition!: bigint;
}
