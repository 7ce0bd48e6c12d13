import type { RecordedEvent } from '@smilepay/shared/eventstore';
import { runSql, type Projection } from '@smilepay/shared/projections';
import type { DataSource, EntityManager } from 'typeorm';
import { isPhoneE164, phoneLast4, type CustomerRegistered } from '@smilepay/enrollment/domain';

/** A phone shared by more customers than this is not "few": lookups return at most this many ids. */
export const MAX_CUSTOMERS_PER_PHONE = 10;

/**
 * Projection `customer_phones`: phone → customer ids, from CustomerRegistered. Registrations never change, so the
 * insert ignores a row it already has and replaying an event changes nothing.
 */
export const customerPhoneIndexProjection: Projection = {
  name: 'customer_phones',
  tables: ['customer_phones'],
  async apply(events: RecordedEvent[], tx: EntityManager): Promise<void> {
    for (const event of events) {
      if (event.type !== 'CustomerRegistered') continue;
      const data = event.data as CustomerRegistered['data'];
      if (!isPhoneE164(data.phoneE164)) continue;
      await runSql(
        tx,
        `INSERT INTO "customer_phones" ("customer_id", "phone_e164", "phone_last4", "registered_at") ` +
          `VALUES (:customerId, :phone, :last4, :at) ON CONFLICT ("customer_id") DO NOTHING`,
        {
          customerId: data.customerId,
          phone: data.phoneE164,
          last4: phoneLast4(data.phoneE164),
          at: new Date(data.registeredAt),
        },
      );
    }
  },
};

/** Queries over the phone index. Phone numbers are parameters only: never logged, never in an error message. */
export class PhoneIndex {
  constructor(private readonly dataSource: DataSource) {}

  /** Customers registered with this exact E.164 number (usually one; a shared family phone gives a few). */
  async customersByPhone(phoneE164: string): Promise<string[]> {
    const { rows } = await runSql<{ customer_id: string }>(
      this.dataSource.manager,
      `SELECT "customer_id" FROM "customer_phones" WHERE "phone_e164" = :phone ORDER BY "customer_id" LIMIT ${MAX_CUSTOMERS_PER_PHONE}`,
      { phone: phoneE164 },
    );
    return rows.map((r) => r.customer_id);
  }

  /** Of the given customers (a terminal's regulars), those whose phone ends with these four digits. */
  async customersByLast4(last4: string, among: readonly string[]): Promise<string[]> {
    if (!/^\d{4}$/.test(last4) || among.length === 0) return [];
    const { rows } = await runSql<{ customer_id: string }>(
      this.dataSource.manager,
      `SELECT "customer_id" FROM "customer_phones" WHERE "phone_last4" = :last4 AND "customer_id" IN (:...among) ` +
        `ORDER BY "customer_id" LIMIT ${MAX_CUSTOMERS_PER_PHONE}`,
      { last4, among: [...among] },
    );
    return rows.map((r) => r.customer_id);
  }
}
