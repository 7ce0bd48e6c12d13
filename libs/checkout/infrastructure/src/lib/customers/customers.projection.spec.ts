import { openReadModelHarness, type ReadModelHarness } from '../testing/read-model-harness.fixture';
import { customerById, searchCustomers } from './customer-queries';
import { maskPhone } from './phone-mask';

const T0 = new Date('2025-06-01T12:00:00.000Z');
const at = (seconds: number): Date => new Date(T0.getTime() + seconds * 1000);

describe('maskPhone', () => {
  it.each([
    ['+8613800138000', '+86•••••8000'],
    ['+14155550123', '+1•••••0123'],
    ['+442071838750', '+44•••••8750'],
    ['+35312345678', '+353•••••5678'],
    ['+79161234567', '+7•••••4567'],
  ])('masks %s as %s, keeping the country code and the last four digits', (phone, masked) => {
    expect(maskPhone(phone)).toBe(masked);
  });

  it('masks anything that is not E.164 entirely', () => {
    expect(maskPhone('13800138000')).toBe('•••••');
    expect(maskPhone('+86 138')).toBe('•••••');
  });
});

describe.each(['sqlite', 'postgres'] as const)('customers read model on %s', (dialect) => {
  let h: ReadModelHarness;

  beforeAll(async () => {
    h = await openReadModelHarness(dialect);
    const s = h.scenario;
    await s.openMerchant(at(-3600));
    await s.enrolledCustomer('cus_alice', '+8613800138000', 0n, at(-3600));
    await s.enrolledCustomer('cus_bob', '+442071838750', 0n, at(-3500));
    await s.enrolledCustomer('cus_carol', '+14155558000', 0n, at(-3400));
    await s.enrolledCustomer('vip_1', '+14155550199', 0n, at(-3400));
    await s.enrolledCustomer('vipX1', '+14155550299', 0n, at(-3400));
    for (let i = 0; i < 10; i++) {
      await s.customerCommand('cus_bob', { type: 'RecordFaceAttemptFailed', checkoutId: `chk_${i}`, terminalId: 'ter_x', reason: 'no_match', livenessEnabled: true, at: at(i) });
    }
    await s.customerCommand('cus_carol', { type: 'EraseBiometrics', reason: 'erasure_request', at: at(20) });
    await h.project();
  });
  afterAll(() => h.dispose());

  const search = (q: string, now = at(60)) => searchCustomers(h.db.dataSource, q, now);

  it('keeps a masked phone, the wallet and its currency, and no full number or face data', async () => {
    const [alice] = await search('cus_alice');
    expect(alice).toEqual({
      customerId: 'cus_alice',
      phoneMasked: '+86•••••8000',
      status: 'active',
      walletAccountId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      currency: 'EUR',
      enrolledAt: at(-3600).toISOString(),
      faceEnrolled: true,
      faceLockedUntil: null,
    });
    const table: Record<string, unknown>[] = await h.db.dataSource.query(`SELECT * FROM "customers"`);
    expect(table).toHaveLength(5);
    expect(JSON.stringify(table)).not.toMatch(/13800138000|2071838750|4155558000/);
    expect(Object.keys(table[0]).filter((column) => /template|embedding|score|phone_e164/i.test(column))).toEqual([]);
    expect(await customerById(h.db.dataSource, 'cus_alice')).toMatchObject({ phoneLast4: '8000', faceStatus: 'enrolled' });
  });

  it('finds customers by id prefix, literally, and by the last digits of their phone', async () => {
    expect((await search('cus_')).map((c) => c.customerId)).toEqual(['cus_alice', 'cus_bob', 'cus_carol']);
    expect((await search('8000')).map((c) => c.customerId)).toEqual(['cus_alice', 'cus_carol']);
    expect((await search('50')).map((c) => c.customerId)).toEqual(['cus_bob']);
    // _ and % are not wildcards: "vip_" does not find vipX1, "%" finds nothing.
    expect((await search('vip_')).map((c) => c.customerId)).toEqual(['vip_1']);
    expect(new Set((await search('vip')).map((c) => c.customerId))).toEqual(new Set(['vip_1', 'vipX1']));
    expect(await search('%')).toEqual([]);
    expect(await search('')).toEqual([]);
    expect(await search('x'.repeat(101))).toEqual([]);
    expect(await searchCustomers(h.db.dataSource, 'cus_', at(60), 2)).toHaveLength(2);
  });

  it('shows the face lockout while it lasts and an erased face as erased', async () => {
    const [bob] = await search('cus_bob');
    expect(bob).toMatchObject({ status: 'face_locked', faceLockedUntil: at(9 + 300).toISOString() });
    const [later] = await search('cus_bob', at(3600));
    expect(later).toMatchObject({ status: 'active', faceLockedUntil: null });
    const [carol] = await search('cus_carol');
    expect(carol).toMatchObject({ status: 'erased', faceEnrolled: false });
  });
});
