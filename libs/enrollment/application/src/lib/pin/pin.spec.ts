import { customerStreamId } from '@smilepay/enrollment/domain';
import { openEnrollmentTestKit, type EnrollmentTestKit } from '../../testing/enrollment-test-kit';
import { allEvents } from '../../testing/event-assertions';
import { checkPinPolicy } from './pin-policy';

const T0 = new Date('2025-01-01T10:00:00.000Z');
const PHONE = '+8613800138000';

describe('checkPinPolicy', () => {
  it('accepts 6 digits that are not easy to guess', () => {
    expect(() => checkPinPolicy('482916', PHONE)).not.toThrow();
  });

  it.each(['12345', '1234567', '12a456', '000000', '777777', '123456', '890123', '654321', '210987', '138000'])(
    'refuses %s',
    (pin) => {
      expect(() => checkPinPolicy(pin, PHONE)).toThrow();
    },
  );
});

describe('PINs', () => {
  let kit: EnrollmentTestKit;
  beforeAll(async () => {
    kit = await openEnrollmentTestKit('sqlite');
    for (const customerId of ['cus_a', 'cus_b', 'cus_c']) {
      await kit.enrollment.registerCustomer({ customerId, phone: PHONE, wallet: kit.newWallet(), at: T0 }, kit.context);
    }
    await kit.enrollment.setPin({ customerId: 'cus_a', pin: '482916', at: T0 }, kit.context);
    await kit.enrollment.setPin({ customerId: 'cus_b', pin: '730194', at: T0 }, kit.context);
  });
  afterAll(() => kit.dispose());

  const verify = (candidateCustomerIds: string[], pin: string, checkoutId: string) =>
    kit.enrollment.verifyPin({ candidateCustomerIds, pin, checkoutId, at: T0 }, kit.context);

  it('records PinSet and keeps the PIN out of every event', async () => {
    expect((await kit.store.readStream(customerStreamId('cus_a'))).map((e) => e.type)).toEqual([
      'CustomerRegistered',
      'PinSet',
    ]);
    expect(JSON.stringify((await allEvents(kit.store)).map((e) => e.data))).not.toMatch(/482916|730194/);
    await expect(
      kit.enrollment.setPin({ customerId: 'cus_c', pin: '123456', at: T0 }, kit.context),
    ).rejects.toMatchObject({ code: 'pin_too_weak' });
  });

  it('tells apart the customers behind a shared phone by their PIN', async () => {
    expect(await verify(['cus_a', 'cus_b', 'cus_c'], '730194', 'chk_1')).toEqual({
      kind: 'verified',
      customerId: 'cus_b',
    });
    expect(await verify(['cus_c'], '730194', 'chk_2')).toEqual({ kind: 'not_set' });
  });

  it('locks a PIN after 5 wrong attempts, until a new one is set', async () => {
    for (let i = 0; i < 5; i++) expect(await verify(['cus_a'], '000001', `chk_wrong_${i}`)).toEqual({ kind: 'failed' });
    expect(await verify(['cus_a'], '482916', 'chk_right')).toEqual({ kind: 'locked' });
    expect((await kit.enrollment.getCustomerProfile('cus_a', T0))?.pinLocked).toBe(true);
    await kit.enrollment.setPin({ customerId: 'cus_a', pin: '582916', at: T0 }, kit.context);
    expect(await verify(['cus_a'], '582916', 'chk_after_reset')).toEqual({ kind: 'verified', customerId: 'cus_a' });
  });
});
