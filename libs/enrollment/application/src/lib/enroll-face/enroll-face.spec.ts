import { randomUUID } from 'node:crypto';
import type { DomainError } from '@smilepay/shared/domain';
import { customerStreamId } from '@smilepay/enrollment/domain';
import {
  noisyCopy,
  openEnrollmentTestKit,
  randomUnitVector,
  vectorAtSimilarity,
  type EnrollmentTestKit,
} from '../../testing/enrollment-test-kit';
import { allEvents, biometricLookingPaths } from '../../testing/event-assertions';

const T0 = new Date('2025-01-01T10:00:00.000Z');
const MODEL = 'arcface-r100@1';
const CONSENT = 'I agree that smilepay stores an encrypted template of my face to authenticate my payments.';

describe.each(['sqlite', 'postgres'] as const)('enrollFace on %s', (dialect) => {
  let kit: EnrollmentTestKit;
  beforeEach(async () => (kit = await openEnrollmentTestKit(dialect)));
  afterEach(() => kit.dispose());

  async function customer(phone: string, consent = true): Promise<string> {
    const customerId = `cus_${randomUUID()}`;
    await kit.enrollment.registerCustomer({ customerId, phone, wallet: kit.newWallet(), at: T0 }, kit.context);
    if (consent) {
      const input = {
        customerId,
        consentText: CONSENT,
        consentTextVersion: 'bio-1',
        purpose: 'face payment',
        retentionTermDays: 1095,
        at: T0,
      };
      await kit.enrollment.giveBiometricConsent(input, kit.context);
    }
    return customerId;
  }
  const enroll = (
    customerId: string,
    embedding: Float32Array,
    overrides: Partial<{ quality: number; liveness: 'live' | 'spoof' }> = {},
  ) =>
    kit.enrollment.enrollFace(
      {
        customerId,
        templateRef: `tpl_${randomUUID()}`,
        embedding,
        quality: 0.9,
        modelVersion: MODEL,
        liveness: 'live',
        at: T0,
        ...overrides,
      },
      kit.context,
    );
  const eventTypes = async (customerId: string) =>
    (await kit.store.readStream(customerStreamId(customerId))).map((e) => e.type);
  const liveTemplates = async () => (await kit.vault.scanPage({ modelVersion: MODEL, limit: 100 })).templates;

  it('refuses capture without consent, before anything is compared or stored', async () => {
    const customerId = await customer('+8613800138000', false);
    await expect(enroll(customerId, randomUnitVector())).rejects.toMatchObject({ code: 'biometric_consent_required' });
    expect(await liveTemplates()).toEqual([]);
    expect(await eventTypes(customerId)).toEqual(['CustomerRegistered']);
  });

  it('enrols a new face: encrypted in the vault, only a reference in the events', async () => {
    const customerId = await customer('+8613800138000');
    const embedding = randomUnitVector();
    const result = await enroll(customerId, embedding);
    expect(result).toMatchObject({
      outcome: 'enrolled',
      pinRequired: false,
      duplicateCheck: { outcome: 'clear', comparedTemplates: 0 },
    });
    expect(await eventTypes(customerId)).toEqual([
      'CustomerRegistered',
      'BiometricConsentGiven',
      'DuplicateFaceCheckRecorded',
      'FaceEnrolled',
    ]);
    const [template] = await liveTemplates();
    expect(template.customerId).toBe(customerId);
    expect(Array.from(template.embedding)).toEqual(Array.from(embedding));
    expect(biometricLookingPaths(await allEvents(kit.store))).toEqual([]);
    const profile = await kit.enrollment.getCustomerProfile(customerId, T0);
    expect(profile).toMatchObject({ faceEnrolled: true, templateRef: template.ref, pinRequired: false });
  });

  it('refuses the same face for a second account, recording the check and storing nothing', async () => {
    const face = randomUnitVector();
    const first = await customer('+8613800138000');
    await enroll(first, face);
    const second = await customer('+8613900139000');
    const result = await enroll(second, noisyCopy(face, 0.3));
    expect(result.outcome).toBe('duplicate');
    expect(result.duplicateCheck).toMatchObject({
      outcome: 'duplicate',
      closestCustomerId: first,
      comparedTemplates: 1,
    });
    expect(await eventTypes(second)).toEqual([
      'CustomerRegistered',
      'BiometricConsentGiven',
      'DuplicateFaceCheckRecorded',
    ]);
    expect((await liveTemplates()).map((t) => t.customerId)).toEqual([first]);
  });

  it('forces the PIN on both customers when a face is too close to another', async () => {
    const face = randomUnitVector();
    const first = await customer('+8613800138000');
    await enroll(first, face);
    const second = await customer('+8613900139000');
    const result = await enroll(second, vectorAtSimilarity(face, 0.45));
    expect(result).toMatchObject({
      outcome: 'enrolled',
      pinRequired: true,
      duplicateCheck: { outcome: 'too_close', closestCustomerId: first },
    });
    expect((await kit.enrollment.getCustomerProfile(second, T0))?.pinRequired).toBe(true);
    expect((await kit.enrollment.getCustomerProfile(first, T0))?.pinRequired).toBe(true);
    expect(await eventTypes(first)).toContain('FacePinRequired');
  });

  it('applies the quality and liveness gates before anything is stored', async () => {
    const customerId = await customer('+8613800138000');
    await expect(enroll(customerId, randomUnitVector(), { quality: 0.2 })).rejects.toMatchObject({
      code: 'face_quality_too_low',
    });
    await expect(enroll(customerId, randomUnitVector(), { liveness: 'spoof' })).rejects.toMatchObject({
      code: 'liveness_failed',
    });
    expect(await liveTemplates()).toEqual([]);
  });

  it('treats a retry of the same enrolment as done', async () => {
    const customerId = await customer('+8613800138000');
    const input = {
      customerId,
      templateRef: 'tpl_fixed',
      embedding: randomUnitVector(),
      quality: 0.9,
      modelVersion: MODEL,
      liveness: 'live' as const,
      at: T0,
    };
    await kit.enrollment.enrollFace(input, kit.context);
    expect((await kit.enrollment.enrollFace(input, kit.context)).outcome).toBe('already_enrolled');
    await expect(kit.enrollment.enrollFace({ ...input, templateRef: 'tpl_other' }, kit.context)).rejects.toMatchObject({
      code: 'face_already_enrolled',
    });
  });
});

describe('the duplicate-face check pages through the whole gallery', () => {
  let kit: EnrollmentTestKit;
  afterEach(() => kit.dispose());

  it('compares against every enrolled template, a page at a time, and fails closed past its page budget', async () => {
    kit = await openEnrollmentTestKit('sqlite', { policy: { duplicateScanPageSize: 2, maxDuplicateScanPages: 4 } });
    const enrollNext = async (i: number) => {
      const customerId = `cus_${i}`;
      await kit.enrollment.registerCustomer(
        { customerId, phone: `+86138001380${10 + i}`, wallet: kit.newWallet(), at: T0 },
        kit.context,
      );
      await kit.enrollment.giveBiometricConsent(
        {
          customerId,
          consentText: CONSENT,
          consentTextVersion: 'bio-1',
          purpose: 'face payment',
          retentionTermDays: 1095,
          at: T0,
        },
        kit.context,
      );
      const input = {
        customerId,
        templateRef: `tpl_${i}`,
        embedding: randomUnitVector(),
        quality: 0.9,
        modelVersion: MODEL,
        liveness: 'live' as const,
        at: T0,
      };
      return kit.enrollment.enrollFace(input, kit.context);
    };
    // Up to 7 templates fit in 4 pages of 2 (the 4th page is short, so the scan knows it is done).
    for (let i = 0; i < 8; i++) expect((await enrollNext(i)).duplicateCheck?.comparedTemplates).toBe(i);
    // 8 templates fill 4 full pages: a 5th page would be needed to know there are no more.
    const error = await enrollNext(8).catch((e: DomainError) => e);
    expect(error).toMatchObject({ code: 'duplicate_check_incomplete' });
    expect((await kit.vault.scanPage({ modelVersion: MODEL, limit: 100 })).templates).toHaveLength(8);
  });
});
