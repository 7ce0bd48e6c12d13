import type { AccountFlag, AccountKind, CurrencyCode } from '@smilepay/ledger/domain';
import { moneyTransformer, positionTransformer } from '@smilepay/shared/projections';
import { Column, Entity, PrimaryColumn } from 'typeorm';

const money = { type: 'numeric', precision: 39, scale: 0, transformer: moneyTransformer } as const;

/** One row per ledger account: its immutable definition and TigerBeetle's four counters (projection ledger_balances). */
@Entity({ name: 'ledger_accounts' })
export class LedgerAccountEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ type: 'varchar', length: 32 })
  kind!: AccountKind;

  @Column({ type: 'varchar', length: 3 })
  currency!: CurrencyCode;

  @Column({ type: 'integer' })
  ledger!: number;

  @Column({ type: 'integer' })
  code!: number;

  /** Comma-separated in SQL; empty for unflagged accounts. */
  @Column({ type: 'simple-array' })
  flags!: AccountFlag[];

  @Column({ name: 'debits_pending', ...money })
  debitsPending!: bigint;

  @Column({ name: 'debits_posted', ...money })
  debitsPosted!: bigint;

  @Column({ name: 'credits_pending', ...money })
  creditsPending!: bigint;

  @Column({ name: 'credits_posted', ...money })
  creditsPosted!: bigint;

  @Column({ name: 'opened_at', type: Date })
  openedAt!: Date;

  /** Store position of the last event applied to this row: an event at or below it is never applied again. */
  @Column({ name: 'last_position', type: 'bigint', transformer: positionTransformer })
  lastPosition!: bigint;
}
