import { positionTransformer } from '@smilepay/shared/projections';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One row per terminal (projection `payments`, which also writes `payments`: the spoof count needs each checkout's
 * terminal, which only the payment row knows). The day counters belong to `day` (UTC); a query on another day
 * reads them as zero.
 */
@Entity({ name: 'terminals' })
export class TerminalSummaryEntity {
  @PrimaryColumn({ name: 'terminal_id', type: 'varchar', length: 128 })
  terminalId!: string;

  @Column({ name: 'merchant_id', type: 'varchar', length: 128 })
  merchantId!: string;

  @Column({ name: 'registered_at', type: Date, nullable: true })
  registeredAt!: Date | null;

  @Column({ name: 'consecutive_failures', type: 'integer' })
  consecutiveFailures!: number;

  @Column({ name: 'locked_at', type: Date, nullable: true })
  lockedAt!: Date | null;

  /** Face payments are suspended until then; the terminal stream records the unlock only at the next attempt. */
  @Column({ name: 'locked_until', type: Date, nullable: true })
  lockedUntil!: Date | null;

  @Column({ name: 'payments_total', type: 'integer' })
  paymentsTotal!: number;

  @Column({ name: 'spoofs_total', type: 'integer' })
  spoofsTotal!: number;

  /** YYYY-MM-DD (UTC) the day counters count; null before the first payment. */
  @Column({ type: 'varchar', length: 10, nullable: true })
  day!: string | null;

  @Column({ name: 'payments_day', type: 'integer' })
  paymentsDay!: number;

  @Column({ name: 'spoofs_day', type: 'integer' })
  spoofsDay!: number;

  @Column({ name: 'last_payment_at', type: Date, nullable: true })
  lastPaymentAt!: Date | null;

  @Column({ name: 'last_seen_at', type: Date, nullable: true })
  lastSeenAt!: Date | null;

  @Column({ name: 'last_position', type: 'bigint', transformer: positionTransformer })
  lastPosition!: bigint;
}
