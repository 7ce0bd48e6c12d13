import { openEnrollmentTestKit, type EnrollmentTestKit } from '../../testing/enrollment-test-kit';

const T0 = new Date('2025-01-01T10:00:00.000Z');

describe('registerCustomer', () => {
  let kit: EnrollmentTestKit;
  beforeAll(async () => (kit = await openEnrollmentTestKit('sqlite', { policy: { defaultCountryCode: '86' } })));
  afterAll(() => kit.dispose());

  it('opens the wallet in the ledger, records the customer, and feeds the phone index', async () => {
    const wallet = kit.newWallet();
    const result = await kit.enrollment.registerCustomer(
      { customerId: 'cus_a', phone: '138 0013 8000', wallet, at: T0 },
      kit.context,
    );
    expect(result).toMatchObject({ customerId: 'cus_a', walletAccountId: wallet.accountId, created: true });
    const view = await kit.ledger.getAccountView(wallet.accountId);
    expect(view.account).toMatchObject({
      kind: 'customer_wallet',
      flags: ['debits_must_not_exceed_credits'],
      currency: 'EUR',
    });
    await kit.settle();
    expect(await kit.phones.customersByPhone('+8613800138000')).toEqual(['cus_a']);
    expect(await kit.phones.customersByLast4('8000', ['cus_a'])).toEqual(['cus_a']);
    const again = await kit.enrollment.registerCustomer(
      { customerId: 'cus_a', phone: '+86 138 0013 8000', wallet, at: T0 },
      kit.context,
    );
    expect(again.created).toBe(false);
  });

  it('refuses an invalid phone, and other details for a registered customer without opening a wallet', async () => {
    await expect(
      kit.enrollment.registerCustomer(
        { customerId: 'cus_b', phone: '12', wallet: kit.newWallet(), at: T0 },
        kit.context,
      ),
    ).rejects.toMatchObject({
      code: 'phone_invalid',
    });
    const other = kit.newWallet();
    await expect(
      kit.enrollment.registerCustomer(
        { customerId: 'cus_a', phone: '+8613800138000', wallet: other, at: T0 },
        kit.context,
      ),
    ).rejects.toMatchObject({
      code: 'customer_already_registered',
    });
    await expect(kit.ledger.getAccountView(other.accountId)).rejects.toMatchObject({ code: 'account_not_found' });
  });
});
