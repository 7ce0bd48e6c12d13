import { randomUUID } from 'node:crypto';
import { customerStreamId } from '@smilepay/enrollment/domain';
import { TemplateVaultError } from '@smilepay/enrollment/infrastructure';
import { openEnrollmentTestKit, randomUnitVector, type EnrollmentTestKit } from '../../testing/enrollment-test-kit';
import { checkDuplicateFace } from '../enroll-face/duplicate-face-check';

const T0 = new Date('2025-01-01T10:00:00.000Z');
const MODEL = 'arcface-r100@1';
const later = (days: number) => new Date(T0.getTime() + days * 86_400_000);

describe.each(['sqlite', 'postgres'] as const)('consent withdrawal and erasure on %s', (dialect) => {
  let kit: EnrollmentTestKit;
  beforeEach(async () => (kit = await openEnrollmentTestKit(dialect)));
  afterEach(() => kit.dispose());

  async function enrolledCustomer(): Promise<{ customerId: string; templateRef: string; face: Float32Array }> {
    const customerId = `cus_${randomUUID()}`;
    const templateRef = `tpl_${randomUUID()}`;
    const face = randomUnitVector();
    await kit.enrollment.registerCustomer(
      { customerId, phone: '+8613800138000', wallet: kit.newWallet(), at: T0 },
      kit.context,
    );
    await kit.enrollment.giveBiometricConsent(
      {
        customerId,
        consentText: 'Face template for payments only.',
        consentTextVersion: 'bio-1',
        purpose: 'face payment',
        retentionTermDays: 1095,
        at: T0,
      },
      kit.context,
    );
    await kit.enrollment.enrollFace(
      { customerId, templateRef, embedding: face, quality: 0.9, modelVersion: MODEL, liveness: 'live', at: T0 },
      kit.context,
    );
    return { customerId, templateRef, face };
  }

  it('withdrawing consent destroys the key: no code path can decrypt the template afterwards', async () => {
    const { customerId, templateRef, face } = await enrolledCustomer();
    const other = await enrolledCustomer();
    expect((await kit.vault.read(templateRef)).customerId).toBe(customerId);

    const result = await kit.enrollment.withdrawBiometricConsent({ customerId, at: later(1) }, kit.context);
    expect(result).toEqual({ erasedTemplateRefs: [templateRef], recorded: true });
    const events = await kit.store.readStream(customerStreamId(customerId));
    expect(events.slice(-2).map((e) => [e.type, e.data])).toEqual([
      ['BiometricConsentWithdrawn', { customerId, withdrawnAt: later(1).toISOString() }],
      [
        'BiometricsErased',
        { customerId, templateRefs: [templateRef], reason: 'consent_withdrawn', erasedAt: later(1).toISOString() },
      ],
    ]);

    // 1. Reading the template by its reference.
    const error = await kit.vault.read(templateRef).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TemplateVaultError);
    expect(error).toMatchObject({ code: 'template_erased' });
    // 2. The phone-narrowed gallery a checkout would match against.
    expect(await kit.vault.readForCustomers([customerId], MODEL)).toEqual({ templates: [], unreadable: [] });
    // 3. The gallery scan of the duplicate check: the same face enrolling again is no longer found.
    const check = await checkDuplicateFace(kit.enrollment.deps, {
      customerId: 'cus_newcomer',
      embedding: face,
      modelVersion: MODEL,
    });
    expect(check).toMatchObject({ outcome: 'clear', comparedTemplates: 1 });
    // 4. The customer's profile: no face to pay with.
    expect(await kit.enrollment.getCustomerProfile(customerId, later(1))).toMatchObject({
      faceEnrolled: false,
      templateRef: null,
    });
    // The other customer is untouched.
    expect((await kit.vault.read(other.templateRef)).customerId).toBe(other.customerId);
  });

  it('refuses capture after withdrawal until consent is given again', async () => {
    const { customerId } = await enrolledCustomer();
    await kit.enrollment.withdrawBiometricConsent({ customerId, at: later(1) }, kit.context);
    const enroll = () =>
      kit.enrollment.enrollFace(
        {
          customerId,
          templateRef: `tpl_${randomUUID()}`,
          embedding: randomUnitVector(),
          quality: 0.9,
          modelVersion: MODEL,
          liveness: 'live',
          at: later(2),
        },
        kit.context,
      );
    await expect(enroll()).rejects.toMatchObject({ code: 'biometric_consent_required' });
    expect(await kit.enrollment.withdrawBiometricConsent({ customerId, at: later(3) }, kit.context)).toEqual({
      erasedTemplateRefs: [],
      recorded: false,
    });
  });

  it('an erasure request erases without withdrawing the consent; the customer may enrol again', async () => {
    const { customerId, templateRef } = await enrolledCustomer();
    expect(await kit.enrollment.eraseBiometrics({ customerId, at: later(1) }, kit.context)).toEqual({
      erasedTemplateRefs: [templateRef],
      recorded: true,
    });
    await expect(kit.vault.read(templateRef)).rejects.toMatchObject({ code: 'template_erased' });
    expect(await kit.enrollment.eraseBiometrics({ customerId, at: later(2) }, kit.context)).toEqual({
      erasedTemplateRefs: [],
      recorded: false,
    });
    const again = await kit.enrollment.enrollFace(
      {
        customerId,
        templateRef: 'tpl_again',
        embedding: randomUnitVector(),
        quality: 0.9,
        modelVersion: MODEL,
        liveness: 'live',
        at: later(3),
      },
      kit.context,
    );
    expect(again.outcome).toBe('enrolled');
    await expect(kit.vault.read(templateRef)).rejects.toMatchObject({ code: 'template_erased' });
  });
});
