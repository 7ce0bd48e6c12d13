import { LedgerAccountEntity } from '@smilepay/ledger/infrastructure';
import type { CustomerSummaryView } from '@smilepay/shared/contracts';
import { type DataSource, In } from 'typeorm';
import { CustomerSummaryEntity } from './customer-summary.entity';

/** Most customers one search returns. */
export const MAX_CUSTOMER_RESULTS = 50;
export const MAX_CUSTOMER_QUERY_LENGTH = 100;
/** A phone search is the tail of the number: the read model keeps only its last four digits. */
const PHONE_TAIL = /^[0-9]{2,4}$/;

export function toCustomerSummaryView(row: CustomerSummaryEntity, currency: string | null, now: Date): CustomerSummaryView {
  const locked = row.faceLockedUntil !== null && row.faceLockedUntil > now;
  return {
    customerId: row.customerId,
    phoneMasked: row.phoneMasked,
    status: row.faceStatus === 'erased' ? 'erased' : locked ? 'face_locked' : 'active',
    walletAccountId: row.walletAccountId,
    currency,
    enrolledAt: row.registeredAt.toISOString(),
    faceEnrolled: row.faceStatus === 'enrolled',
    faceLockedUntil: locked ? (row.faceLockedUntil?.toISOString() ?? null) : null,
  };
}

/** LIKE treats % and _ as wildcards (and customer ids contain _): escape them so a prefix is matched literally. */
const likeLiteral = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Customers whose id starts with `query`, or whose phone ends with it (2 to 4 digits), ordered by id. The wallet's
 * currency comes from the ledger read model in the same database.
 */
export async function searchCustomers(dataSource: DataSource, query: string, now: Date, limit = MAX_CUSTOMER_RESULTS): Promise<CustomerSummaryView[]> {
  const text = query.trim();
  if (text.length === 0 || text.length > MAX_CUSTOMER_QUERY_LENGTH) return [];
  const take = Math.min(Math.max(1, Math.trunc(limit)), MAX_CUSTOMER_RESULTS);
  const builder = dataSource
    .getRepository(CustomerSummaryEntity)
    .createQueryBuilder('c')
    .where(`c.customerId LIKE :prefix ESCAPE '\\'`, { prefix: `${likeLiteral(text)}%` });
  if (PHONE_TAIL.test(text)) builder.orWhere('c.phoneLast4 LIKE :tail', { tail: `%${text}` });
  const rows = await builder.orderBy('c.customerId', 'ASC').limit(take).getMany();
  const currencies = await walletCurrencies(dataSource, rows.map((r) => r.walletAccountId));
  return rows.map((row) => toCustomerSummaryView(row, currencies.get(row.walletAccountId) ?? null, now));
}

export function customerById(dataSource: DataSource, customerId: string): Promise<CustomerSummaryEntity | null> {
  return dataSource.getRepository(CustomerSummaryEntity).findOneBy({ customerId });
}

async function walletCurrencies(dataSource: DataSource, walletIds: string[]): Promise<Map<string, string>> {
  if (walletIds.length === 0) return new Map();
  const accounts = await dataSource.getRepository(LedgerAccountEntity).find({ select: { id: true, currency: true }, where: { id: In(walletIds) } });
  return new Map(accounts.map((a) => [a.id, a.currency]));
}
