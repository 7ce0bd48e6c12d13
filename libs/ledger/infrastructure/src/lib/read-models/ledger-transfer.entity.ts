import type { CurrencyCode } from '@smilepay/ledger/domain';
import { moneyTransformer, positionTransformer } from '@smilepay/shared/projections';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type LedgerTransferState = 'pending' | 'posted' | 'voided' | 'expired';
/**
 * TigerBeetle's transfer kinds: a single-phase transfer, a pending (reserving) transfer, and the transfers that post or
 * void a pending one (rows of their own, with `pendingId` set). Sum `single` and `post_pending` rows for what moved.
 */
export type LedgerTransferKind = 'single' | 'pending' | 'post_pending' | 'void_pending';

const money = { type: 'numeric', precision: 39, scale: 0, transformer: moneyTransformer } as const;

/** One row per transfer id (projection ledger_transfers). */
@Entity({ name: 'ledger_transfers' })
@Index('ledger_transfers_debit_idx', ['debitAccountId', 'position'])
@Index('ledger_transfers_credit_idx', ['creditAccountId', 'position'])
@Index('ledger_transfers_pending_idx', ['pendingId'])
@Index('ledger_transfers_state_expiry_idx', ['state', 'expiresAt'])
export class LedgerTransferEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  /** The linked batch (its first leg's id); null for post/void rows. */
  @Column({ name: 'batch_id', type: 'varchar', length: 64, nullable: true })
  batchId!: string | null;

  @Column({ type: 'varchar', length: 16 })
  kind!: LedgerTransferKind;

  @Column({ name: 'debit_account_id', type: 'varchar', length: 64 })
  debitAccountId!: string;

  @Column({ name: 'credit_account_id', type: 'varchar', length: 64 })
  creditAccountId!: string;

  /** For a pending row the amount reserved; for a post row the amount posted; for a void row the amount released. */
  @Column({ ...money })
  amount!: bigint;

  @Column({ type: 'varchar', length: 3 })
  currency!: CurrencyCode;

  @Column({ type: 'integer' })
  ledger!: number;

  @Column({ type: 'integer' })
  code!: number;

  @Column({ type: 'varchar', length: 16 })
  state!: LedgerTransferState;

  /** For post/void rows: the pending transfer they resolve. */
  @Column({ name: 'pending_id', type: 'varchar', length: 64, nullable: true })
  pendingId!: string | null;

  /** What reached the posted counters: the amount for single and post rows, the posted part for a posted pending. */
  @Column({ name: 'posted_amount', ...money, nullable: true })
  postedAmount!: bigint | null;

  @Column({ name: 'timeout_seconds', type: 'integer' })
  timeoutSeconds!: number;

  @Column({ name: 'created_at', type: Date })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: Date, nullable: true })
  expiresAt!: Date | null;

  /** When a pending row was posted, voided or expired. */
  @Column({ name: 'resolved_at', type: Date, nullable: true })
  resolvedAt!: Date | null;

  /** Stream and store position of the event that recorded this row. */
  @Column({ type: 'varchar', length: 200 })
  stream!: string;

  @Column({ type: 'bigint', transformer: positionTransformer })
  position!: bigint;
}
