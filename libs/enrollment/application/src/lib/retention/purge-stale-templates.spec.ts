import { customerStreamId } from '@smilepay/enrollment/domain';
import { openEnrollmentTestKit, randomUnitVector, type EnrollmentTestKit } from '../../testing/enrollment-test-kit';

const T0 = new Date('2025-01-01T10:00:00.000Z');
const MODEL = 'arcface-r100@1';
const later = (days: number) => new Date(T0.getTime() + days * 86_400_000);

describe('purgeStaleTemplates', () => {
  let kit: EnrollmentTestKit;
  beforeEach(async () => (kit = await openEnrollmentTestKit('sqlite')));
  afterEach(() => kit.dispose());

  async function enrolled(customerId: string, templateRef: string): Promise<void> {
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
      {
        customerId,
        templateRef,
        embedding: randomUnitVector(),
        quality: 0.9,
        modelVersion: MODEL,
        liveness: 'live',
        at: T0,
      },
      kit.context,
    );
  }

  it('purges templates unused for the retention term (3 years by default) and records the erasure', async () => {
    await enrolled('cus_idle', 'tpl_idle');
    await enrolled('cus_active', 'tpl_active');
    await kit.vault.markUsed('tpl_active', later(400));

    expect((await kit.enrollment.purgeStaleTemplates({ now: later(1_095) }, kit.context)).purgedTemplateRefs).toEqual(
      [],
    );
    const report = await kit.enrollment.purgeStaleTemplates({ now: later(1_096) }, kit.context);
    expect(report).toEqual({ cutoff: later(1), purgedTemplateRefs: ['tpl_idle'], truncated: false });
    await expect(kit.vault.read('tpl_idle')).rejects.toMatchObject({ code: 'template_erased' });
    expect((await kit.vault.read('tpl_active')).customerId).toBe('cus_active');
    const last = (await kit.store.readStream(customerStreamId('cus_idle'))).at(-1);
    expect(last).toMatchObject({
      type: 'BiometricsErased',
      data: { reason: 'retention_expired', templateRefs: ['tpl_idle'] },
    });
    expect(await kit.enrollment.getCustomerProfile('cus_idle', later(1_096))).toMatchObject({ faceEnrolled: false });
  });

  it('finishes a purge interrupted after the event, and purges orphans of failed enrolments', async () => {
    await enrolled('cus_idle', 'tpl_idle');
    // As if the process died after appending the event but before the vault erased.
    await kit.enrollment.deps.customers.handle(
      customerStreamId('cus_idle'),
      { type: 'EraseBiometrics', reason: 'retention_expired', templateRef: 'tpl_idle', at: later(1_096) },
      { correlationId: 'c', causationId: 'c', actor: 'system:test', schemaVersion: 1 },
    );
    await kit.vault.store({
      ref: 'tpl_orphan',
      customerId: 'cus_never_registered',
      modelVersion: MODEL,
      embedding: randomUnitVector(),
      at: T0,
    });
    const report = await kit.enrollment.purgeStaleTemplates({ now: later(1_100) }, kit.context);
    expect(report.purgedTemplateRefs.sort()).toEqual(['tpl_idle', 'tpl_orphan']);
    const erasures = (await kit.store.readStream(customerStreamId('cus_idle'))).filter(
      (e) => e.type === 'BiometricsErased',
    );
    expect(erasures).toHaveLength(1);
    await expect(kit.vault.read('tpl_orphan')).rejects.toMatchObject({ code: 'template_erased' });
  });

  it('stops at its batch budget and reports that work is left', async () => {
    for (let i = 0; i < 3; i++)
      await kit.vault.store({
        ref: `tpl_${i}`,
        customerId: `cus_${i}`,
        modelVersion: MODEL,
        embedding: randomUnitVector(),
        at: T0,
      });
    const first = await kit.enrollment.purgeStaleTemplates(
      { now: later(2_000), batchSize: 1, maxBatches: 2 },
      kit.context,
    );
    expect(first).toMatchObject({ purgedTemplateRefs: ['tpl_0', 'tpl_1'], truncated: true });
    const second = await kit.enrollment.purgeStaleTemplates(
      { now: later(2_000), batchSize: 1, maxBatches: 2 },
      kit.context,
    );
    expect(second).toMatchObject({ purgedTemplateRefs: ['tpl_2'], truncated: false });
  });
});
