import type { PaymentStatus } from '@smilepay/shared/contracts';
import { moneyTransformer, positionTransformer } from '@smilepay/shared/projections';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

const money = { type: 'numeric', precision: 39, scale: 0, transformer: moneyTransformer } as const;

export type PaymentDecision = 'authorized' | 'declined';
export type PaymentLivenessVerdict = 'live' | 'spoof' | 'inconclusive';

/**
 * One row per checkout (a payment attempt at a terminal), projection `payments`. Nothing biometric: the liveness and
 * match results are scores, never frames or embeddings.
 */
@Entity({ name: 'payments' })
@Index('payments_started_idx', ['startedPosition'])
@Index('payments_started_at_idx', ['startedAt'])
@Index('payments_decided_at_idx', ['decidedAt'])
@Index('payments_customer_idx', ['customerId', 'startedPosition'])
@Index('payments_terminal_idx', ['terminalId', 'startedPosition'])
export class PaymentEntity {
  @PrimaryColumn({ name: 'checkout_id', type: 'varchar', length: 128 })
  checkoutId!: string;

  @Column({ name: 'merchant_id', type: 'varchar', length: 128 })
  merchantId!: string;

  @Column({ name: 'merchant_account_id', type: 'varchar', length: 128 })
  merchantAccountId!: string;

  @Column({ name: 'terminal_id', type: 'varchar', length: 128 })
  terminalId!: string;

  @Column({ name: 'customer_id', type: 'varchar', length: 128, nullable: true })
  customerId!: string | null;

  @Column({ type: 'varchar', length: 16 })
  method!: 'face' | 'phone_pin';

  @Column({ ...money })
  amount!: bigint;

  @Column({ type: 'varchar', length: 3 })
  currency!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: PaymentStatus;

  /** The first decision only: a replayed credential declined after the payment went through does not change it. */
  @Column({ type: 'varchar', length: 16, nullable: true })
  decision!: PaymentDecision | null;

  @Column({ name: 'decline_reason', type: 'varchar', length: 32, nullable: true })
  declineReason!: string | null;

  @Column({ name: 'liveness_verdict', type: 'varchar', length: 16, nullable: true })
  livenessVerdict!: PaymentLivenessVerdict | null;

  @Column({ name: 'liveness_score', type: 'double precision', nullable: true })
  livenessScore!: number | null;

  @Column({ name: 'attack_species', type: 'varchar', length: 64, nullable: true })
  attackSpecies!: string | null;

  @Column({ name: 'match_score', type: 'double precision', nullable: true })
  matchScore!: number | null;

  /** From CheckoutStarted to the decision, in the checkout's own (terminal) time. */
  @Column({ name: 'decision_latency_ms', type: 'integer', nullable: true })
  decisionLatencyMs!: number | null;

  @Column({ name: 'transfer_id', type: 'varchar', length: 64, nullable: true })
  transferId!: string | null;

  @Column({ name: 'wallet_account_id', type: 'varchar', length: 64, nullable: true })
  walletAccountId!: string | null;

  @Column({ name: 'captured_amount', ...money, nullable: true })
  capturedAmount!: bigint | null;

  @Column({ name: 'refunded_amount', ...money })
  refundedAmount!: bigint;

  @Column({ name: 'started_at', type: Date })
  startedAt!: Date;

  @Column({ name: 'decided_at', type: Date, nullable: true })
  decidedAt!: Date | null;

  /** When the store recorded the last event applied: increases with every change, so dashboards can order updates. */
  @Column({ name: 'updated_at', type: Date })
  updatedAt!: Date;

  /** Store position of CheckoutStarted: "newest first" is this, descending. */
  @Column({ name: 'started_position', type: 'bigint', transformer: positionTransformer })
  startedPosition!: bigint;

  /** Store position of the last event applied to this row: an event at or below it is never applied again. */
  @Column({ name: 'last_position', type: 'bigint', transformer: positionTransformer })
  lastPosition!: bigint;
}
