import { positionTransformer } from '@smilepay/shared/projections';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type CustomerFaceStatus = 'none' | 'enrolled' | 'erased';

/**
 * One row per customer (projection `customers`): what an analyst may see. The phone is kept only masked and as its
 * last four digits (for search); no template, template ref or score is ever stored here.
 */
@Entity({ name: 'customers' })
@Index('customers_phone_last4_idx', ['phoneLast4'])
export class CustomerSummaryEntity {
  @PrimaryColumn({ name: 'customer_id', type: 'varchar', length: 128 })
  customerId!: string;

  @Column({ name: 'phone_masked', type: 'varchar', length: 32 })
  phoneMasked!: string;

  @Column({ name: 'phone_last4', type: 'varchar', length: 4 })
  phoneLast4!: string;

  @Column({ name: 'wallet_account_id', type: 'varchar', length: 64 })
  walletAccountId!: string;

  @Column({ name: 'registered_at', type: Date })
  registeredAt!: Date;

  @Column({ name: 'face_status', type: 'varchar', length: 16 })
  faceStatus!: CustomerFaceStatus;

  @Column({ name: 'face_enrolled_at', type: Date, nullable: true })
  faceEnrolledAt!: Date | null;

  /** The face lockout's end; the customer stream records the unlock only at the next attempt. */
  @Column({ name: 'face_locked_until', type: Date, nullable: true })
  faceLockedUntil!: Date | null;

  @Column({ name: 'last_position', type: 'bigint', transformer: positionTransformer })
  lastPosition!: bigint;
}
