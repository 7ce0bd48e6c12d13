import { randomUUID } from 'node:crypto';
import { FACE_LOCKOUT_BASE_COOLDOWN_MS } from '@smilepay/enrollment/domain';
import { openEnrollmentTestKit, randomUnitVector, type EnrollmentTestKit } from '../../testing/enrollment-test-kit';

const T0 = new Date('2025-01-01T10:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

describe('face lockout (NIST SP 800-63B)', () => {
  let kit: EnrollmentTestKit;
  beforeEach(async () => {
    kit = await openEnrollmentTestKit('sqlite');
    await kit.enrollment.registerTerminal(
      { terminalId: 'ter_1', merchantId: 'mer_1', merchantAccountId: randomUUID(), at: T0 },
      kit.context,
    );
    await kit.enrollment.registerCustomer(
      { customerId: 'cus_a', phone: '+8613800138000', wallet: kit.newWallet(), at: T0 },
      kit.context,
    );
    await kit.enrollment.giveBiometricConsent(
      {
        customerId: 'cus_a',
        consentText: 'Face template for payments only.',
        consentTextVersion: 'bio-1',
        purpose: 'face payment',
        retentionTermDays: 1095,
        at: T0,
      },
      kit.context,
    );
    await kit.enrollment.enrollFace(
      {
        customerId: 'cus_a',
        templateRef: 'tpl_a',
        embedding: randomUnitVector(),
        quality: 0.9,
        modelVersion: 'm@1',
        liveness: 'live',
        at: T0,
      },
      kit.context,
    );
  });
  afterEach(() => kit.dispose());

  const fail = (checkoutId: string, seconds: number, livenessEnabled: boolean) =>
    kit.enrollment.recordFaceOutcome(
      {
        checkoutId,
        terminalId: 'ter_1',
        outcome: { kind: 'failed', reason: 'no_match', customerIds: ['cus_a'] },
        livenessEnabled,
        at: at(seconds),
      },
      kit.context,
    );

  it('suspends face payment after 5 consecutive failures without liveness, for a cooldown', async () => {
    for (let i = 0; i < 4; i++) await fail(`chk_${i}`, i, false);
    expect((await kit.enrollment.getCustomerProfile('cus_a', at(5)))?.faceLocked).toBe(false);
    await fail('chk_4', 4, false);
    expect(await kit.enrollment.getCustomerProfile('cus_a', at(5))).toMatchObject({
      faceLocked: true,
      faceLockedUntil: at(4 + FACE_LOCKOUT_BASE_COOLDOWN_MS / 1000).toISOString(),
    });
    expect(
      (await kit.enrollment.getCustomerProfile('cus_a', at(4 + FACE_LOCKOUT_BASE_COOLDOWN_MS / 1000)))?.faceLocked,
    ).toBe(false);
    // Attempts during the cooldown are not recorded against the customer (nothing is tried against a locked face).
    await fail('chk_during', 10, false);
    expect((await kit.store.readStream('customer-cus_a')).filter((e) => e.type === 'FaceAttemptFailed')).toHaveLength(
      5,
    );
  });

  it('allows 10 failures when liveness is on, and a success resets the count', async () => {
    for (let i = 0; i < 9; i++) await fail(`chk_${i}`, i, true);
    await kit.enrollment.recordFaceOutcome(
      {
        checkoutId: 'chk_ok',
        terminalId: 'ter_1',
        outcome: { kind: 'succeeded', customerId: 'cus_a' },
        livenessEnabled: true,
        at: at(9),
      },
      kit.context,
    );
    for (let i = 10; i < 19; i++) await fail(`chk_${i}`, i, true);
    expect((await kit.enrollment.getCustomerProfile('cus_a', at(20)))?.faceLocked).toBe(false);
    await fail('chk_19', 19, true);
    expect((await kit.enrollment.getCustomerProfile('cus_a', at(20)))?.faceLocked).toBe(true);
  });

  it('locks the terminal under the same rule, and an analyst can lift it', async () => {
    for (let i = 0; i < 5; i++) {
      await kit.enrollment.recordFaceOutcome(
        {
          checkoutId: `spoof_${i}`,
          terminalId: 'ter_1',
          outcome: { kind: 'failed', reason: 'spoof', customerIds: [] },
          livenessEnabled: false,
          at: at(i),
        },
        kit.context,
      );
    }
    expect((await kit.enrollment.getTerminalProfile('ter_1', at(6)))?.faceLocked).toBe(true);
    expect(
      await kit.enrollment.unlockTerminalFacePayment(
        { terminalId: 'ter_1', reason: 'analyst', at: at(7) },
        kit.context,
      ),
    ).toEqual({ unlocked: true });
    expect(await kit.enrollment.getTerminalProfile('ter_1', at(8))).toMatchObject({
      faceLocked: false,
      consecutiveFailures: 0,
    });
  });
});
