import { positionTransformer } from '@smilepay/shared/projections';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One row per risk alert (projection `risk_alerts`). */
@Entity({ name: 'risk_alerts' })
@Index('risk_alerts_status_raised_idx', ['status', 'raisedAt'])
export class RiskAlertEntity {
  @PrimaryColumn({ name: 'alert_id', type: 'varchar', length: 64 })
  alertId!: string;

  @Column({ type: 'varchar', length: 32 })
  rule!: string;

  @Column({ type: 'varchar', length: 8 })
  severity!: 'low' | 'medium' | 'high';

  @Column({ name: 'subject_type', type: 'varchar', length: 8 })
  subjectType!: 'customer' | 'terminal';

  @Column({ name: 'subject_id', type: 'varchar', length: 128 })
  subjectId!: string;

  @Column({ name: 'customer_id', type: 'varchar', length: 128, nullable: true })
  customerId!: string | null;

  @Column({ name: 'terminal_id', type: 'varchar', length: 128, nullable: true })
  terminalId!: string | null;

  @Column({ name: 'checkout_id', type: 'varchar', length: 128 })
  checkoutId!: string;

  @Column({ type: 'text' })
  message!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: 'open' | 'acknowledged' | 'resolved';

  @Column({ name: 'raised_at', type: Date })
  raisedAt!: Date;

  @Column({ name: 'acknowledged_by', type: 'varchar', length: 128, nullable: true })
  acknowledgedBy!: string | null;

  /** What resolved it: customer_locked, terminal_quarantined, or both comma-separated. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  resolution!: string | null;

  @Column({ name: 'updated_at', type: Date })
  updatedAt!: Date;

  @Column({ name: 'last_position', type: 'bigint', transformer: positionTransformer })
  lastPosition!: bigint;
}
