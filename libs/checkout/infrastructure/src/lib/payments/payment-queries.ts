import type { DataSource } from 'typeorm';
import { In } from 'typeorm';
import { PaymentEntity } from './payment.entity';

/** Most payments one list call returns. */
export const MAX_PAYMENTS_PAGE = 500;
/** Most payments read back at once by id (the live publisher's batch). */
export const MAX_PAYMENTS_BY_ID = 500;

/** The newest payments first (by when their checkout started in the store), at most MAX_PAYMENTS_PAGE. */
export function recentPayments(dataSource: DataSource, limit: number): Promise<PaymentEntity[]> {
  const take = Math.min(Math.max(1, Math.trunc(limit)), MAX_PAYMENTS_PAGE);
  return dataSource.getRepository(PaymentEntity).find({ order: { startedPosition: 'DESC' }, take });
}

export function paymentById(dataSource: DataSource, checkoutId: string): Promise<PaymentEntity | null> {
  return dataSource.getRepository(PaymentEntity).findOneBy({ checkoutId });
}

export function paymentsByIds(dataSource: DataSource, checkoutIds: readonly string[]): Promise<PaymentEntity[]> {
  if (checkoutIds.length > MAX_PAYMENTS_BY_ID) throw new RangeError(`at most ${MAX_PAYMENTS_BY_ID} payments by id at once`);
  if (checkoutIds.length === 0) return Promise.resolve([]);
  return dataSource.getRepository(PaymentEntity).findBy({ checkoutId: In([...checkoutIds]) });
}
