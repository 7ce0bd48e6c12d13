import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One encrypted face template. The plaintext embedding never leaves the vault unencrypted; ciphertext, iv and tag
 * are base64 text so the same schema works on SQLite and PostgreSQL. After erasure the row stays as a tombstone
 * (no ciphertext, `erased_at` set) so a read can say `template_erased` rather than `template_not_found`.
 */
@Entity({ name: 'biometric_templates' })
@Index('ix_biometric_templates_customer', ['customerId'])
@Index('ix_biometric_templates_last_used', ['lastUsedAt'])
export class BiometricTemplateEntity {
  @PrimaryColumn({ type: 'varchar', length: 128 })
  ref!: string;

  @Column({ name: 'customer_id', type: 'varchar', length: 128 })
  customerId!: string;

  /** The data key generation the ciphertext was sealed under (see CustomerKeyEntity.keyId). */
  @Column({ name: 'key_id', type: 'varchar', length: 64 })
  keyId!: string;

  @Column({ name: 'model_version', type: 'varchar', length: 128 })
  modelVersion!: string;

  @Column({ type: 'text', nullable: true })
  ciphertext!: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  iv!: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  tag!: string | null;

  @Column({ name: 'created_at', type: Date })
  createdAt!: Date;

  @Column({ name: 'last_used_at', type: Date })
  lastUsedAt!: Date;

  @Column({ name: 'erased_at', type: Date, nullable: true })
  erasedAt!: Date | null;
}

/** A customer's data key, wrapped by the master key. Deleting this row is what erases the customer's templates. */
@Entity({ name: 'customer_keys' })
export class CustomerKeyEntity {
  @PrimaryColumn({ name: 'customer_id', type: 'varchar', length: 128 })
  customerId!: string;

  /** Random id of this key generation: a template sealed under an earlier, destroyed key is known to be erased. */
  @Column({ name: 'key_id', type: 'varchar', length: 64 })
  keyId!: string;

  @Column({ name: 'wrapped_key', type: 'varchar', length: 128 })
  wrappedKey!: string;

  @Column({ name: 'master_key_id', type: 'varchar', length: 32 })
  masterKeyId!: string;

  @Column({ name: 'created_at', type: Date })
  createdAt!: Date;
}

/** A customer's PIN as an argon2id hash (with a pepper); never in an event, replaced when the PIN changes. */
@Entity({ name: 'customer_pins' })
export class CustomerPinEntity {
  @PrimaryColumn({ name: 'customer_id', type: 'varchar', length: 128 })
  customerId!: string;

  @Column({ name: 'pin_hash', type: 'varchar', length: 255 })
  pinHash!: string;

  @Column({ name: 'updated_at', type: Date })
  updatedAt!: Date;
}

/** Read model fed by CustomerRegistered: phone → customer ids, for the phone-narrowed 1:few match. */
@Entity({ name: 'customer_phones' })
@Index('ix_customer_phones_phone', ['phoneE164'])
@Index('ix_customer_phones_last4', ['phoneLast4'])
export class CustomerPhoneEntity {
  @PrimaryColumn({ name: 'customer_id', type: 'varchar', length: 128 })
  customerId!: string;

  @Column({ name: 'phone_e164', type: 'varchar', length: 16 })
  phoneE164!: string;

  @Column({ name: 'phone_last4', type: 'varchar', length: 4 })
  phoneLast4!: string;

  @Column({ name: 'registered_at', type: Date })
  registeredAt!: Date;
}
