import type { RecordedEvent } from '@smilepay/shared/eventstore';
import {
  openTestReadModelDatabase,
  readModelTransaction,
  runSql,
  type TestReadModelDatabase,
} from '@smilepay/shared/projections';
import { enrollmentEntities, enrollmentMigrations } from '../enrollment-read-models';
import { customerPhoneIndexProjection, MAX_CUSTOMERS_PER_PHONE, PhoneIndex } from './phone-index';

let position = 0n;
function recorded(type: string, data: unknown): RecordedEvent {
  position++;
  return {
    id: `evt-${position}`,
    streamId: 'customer-x',
    type,
    data,
    metadata: { correlationId: 'c', causationId: 'c', actor: 'system:test', schemaVersion: 1 },
    revision: 0n,
    position,
    recordedAt: '2025-01-01T10:00:00.000Z',
    prevHash: '',
    hash: '',
  };
}
const registered = (customerId: string, phoneE164: string) =>
  recorded('CustomerRegistered', {
    customerId,
    phoneE164,
    walletAccountId: `w_${customerId}`,
    registeredAt: '2025-01-01T10:00:00.000Z',
  });

describe.each(['sqlite', 'postgres'] as const)('phone index on %s', (dialect) => {
  let db: TestReadModelDatabase;
  let index: PhoneIndex;

  beforeEach(async () => {
    db = await openTestReadModelDatabase(dialect, { entities: enrollmentEntities, migrations: enrollmentMigrations });
    index = new PhoneIndex(db.dataSource);
  });
  afterEach(() => db.dispose());

  const apply = (events: RecordedEvent[]) =>
    readModelTransaction(db.dataSource, (tx) => customerPhoneIndexProjection.apply(events, tx));

  it('maps a phone to its customers, a shared phone to a few, and ignores other events', async () => {
    await apply([
      registered('cus_a', '+8613800138000'),
      registered('cus_b', '+8613800138000'),
      registered('cus_c', '+8613900139000'),
      recorded('FaceEnrolled', { customerId: 'cus_a' }),
    ]);
    expect(await index.customersByPhone('+8613800138000')).toEqual(['cus_a', 'cus_b']);
    expect(await index.customersByPhone('+8613900139000')).toEqual(['cus_c']);
    expect(await index.customersByPhone('+8613700137000')).toEqual([]);
  });

  it('changes nothing when an event is applied twice', async () => {
    const event = registered('cus_a', '+8613800138000');
    await apply([event]);
    await apply([event]);
    const { rows } = await runSql(db.dataSource.manager, `SELECT * FROM "customer_phones"`);
    expect(rows).toHaveLength(1);
  });

  it('finds regulars by the last four digits, only among the given customers', async () => {
    await apply([
      registered('cus_a', '+8613800138000'),
      registered('cus_b', '+8613900148000'),
      registered('cus_c', '+8613900131234'),
    ]);
    expect(await index.customersByLast4('8000', ['cus_a', 'cus_b', 'cus_c'])).toEqual(['cus_a', 'cus_b']);
    expect(await index.customersByLast4('8000', ['cus_b'])).toEqual(['cus_b']);
    expect(await index.customersByLast4('8000', [])).toEqual([]);
    expect(await index.customersByLast4('80a0', ['cus_a'])).toEqual([]);
  });

  it('returns at most a few customers for one phone', async () => {
    await apply(
      Array.from({ length: MAX_CUSTOMERS_PER_PHONE + 3 }, (_, i) =>
        registered(`cus_${String(i).padStart(2, '0')}`, '+8613800138000'),
      ),
    );
    expect(await index.customersByPhone('+8613800138000')).toHaveLength(MAX_CUSTOMERS_PER_PHONE);
  });
});
