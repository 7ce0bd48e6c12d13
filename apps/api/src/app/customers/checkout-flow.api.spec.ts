import { randomUUID } from 'node:crypto';
import { startTestApi, type TestApi } from '../../testing/test-api';
import { CONSENT, unitVector, noisy, wire } from '../../testing/face-vectors';

const digest = (seq: number) => ({ seq, rgbSha256: 'ab'.repeat(32), status: 'analyzed' });

describe('checkout through the gateway routes (embedded store)', () => {
  let api: TestApi;
  let admin: string;
  const merchantId = randomUUID();
  const terminalId = 'till-1';
  const alice = { id: randomUUID(), phone: '+8613800000001', face: unitVector(0.11) };
  const bob = { id: randomUUID(), phone: '+8613800000002', face: unitVector(0.77) };

  const post = async (path: string, body: unknown) => {
    const response = await fetch(api.base + path, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() }, body: JSON.stringify(body) });
    return { status: response.status, body: await response.json() };
  };

  async function checkout(face: Float32Array, phone: string, amountMinor = '1250', verdict = 'live') {
    const checkoutId = randomUUID();
    const context = { checkoutId, merchantId, terminalId, amountMinor, currency: 'EUR', terminalIdempotencyKey: randomUUID() };
    const liveness = await api.internalPost(`/internal/v1/checkouts/${checkoutId}/liveness`, {
      type: 'RecordLivenessVerdict', checkout: context, verdict, scores: { fused: verdict === 'live' ? 0.95 : 0.05 }, attackSpecies: verdict === 'live' ? null : 'print', reasons: [],
      frames: { received: 10, analyzed: 10, dropped: 0 }, frameDigests: [digest(0)], modelVersions: {}, decisionLatencyMs: 12, decidedAt: new Date().toISOString(),
    });
    expect(liveness.status).toBe(200);
    if (!liveness.body.accepted) return { checkoutId, liveness: liveness.body, probe: undefined };
    const digits = liveness.body.phonePrompt.digitsRequested === 11 ? phone : phone.slice(-liveness.body.phonePrompt.digitsRequested);
    const probe = await api.internalPost(`/internal/v1/checkouts/${checkoutId}/face-probe`, {
      type: 'SubmitFaceProbe', checkout: context, livenessVerdict: 'live', phoneDigits: digits, phoneDigitsKind: digits.length === 11 || digits.startsWith('+') ? 'full_number' : 'last_digits',
      embedding: wire(face), quality: { score: 0.9, faceBox: { x: 0, y: 0, width: 100, height: 100 }, details: {} }, probeFrame: digest(3), frameDigests: [digest(3)], modelVersions: { embedding: 'fr_feature' }, submittedAt: new Date().toISOString(),
    });
    return { checkoutId, liveness: liveness.body, probe };
  }

  beforeAll(async () => {
    api = await startTestApi();
    admin = await api.login('admin');
    expect((await post('/v1/merchants', { merchantId, name: 'Corner Shop', currency: 'EUR' })).status).toBe(200);
    expect((await post('/v1/terminals', { terminalId, merchantId })).status).toBe(200);
    for (const customer of [alice, bob]) {
      expect((await post('/v1/customers', { customerId: customer.id, phone: customer.phone, currency: 'EUR', initialFundingMinor: '5000' })).status).toBe(200);
      expect((await post(`/v1/customers/${customer.id}/consent`, CONSENT)).status).toBe(200);
      await api.settle();
      const enrolled = await api.internalPost(`/internal/v1/enrollments/${customer.id}/face`, {
        templateRef: randomUUID(), embedding: wire(customer.face), quality: 0.9, modelVersion: 'fr_feature', livenessVerdict: 'live', livenessScores: { fused: 0.9 }, terminalId: 'enrollment-kiosk',
      });
      expect(enrolled).toMatchObject({ status: 200, body: { outcome: 'enrolled', duplicateCheck: 'clear' } });
    }
    await api.settle();
  }, 60_000);

  afterAll(async () => api.close());

  it('pays with a genuine face and the right phone digits, moving exactly the amount', async () => {
    const { checkoutId, probe } = await checkout(noisy(alice.face, 0.3), alice.phone);
    expect(probe?.body).toMatchObject({ decision: 'authorized', paymentId: checkoutId });
    await api.settle();
    const analyst = await api.login('analyst');
    const wallet = await (await fetch(`${api.base}/v1/customers/${alice.id}/balance`, { headers: { authorization: `Bearer ${analyst}` } })).json();
    expect(wallet).toMatchObject({ creditsPostedMinor: '5000', debitsPostedMinor: '1250', availableMinor: '3750' });
  });

  it('declines an impostor with the victim\'s phone number, offering phone + PIN instead', async () => {
    const { probe } = await checkout(unitVector(0.5), alice.phone);
    expect(probe?.body).toMatchObject({ decision: 'declined', reason: 'no_match', fallback: 'phone_pin' });
  });

  it('declines a spoof before any phone prompt', async () => {
    const { liveness, probe } = await checkout(bob.face, bob.phone, '100', 'spoof');
    expect(liveness).toEqual({ accepted: false, reason: 'spoof', fallback: 'phone_pin' });
    expect(probe).toBeUndefined();
  });

  it('declines a face credential presented a second time', async () => {
    const { checkoutId, probe } = await checkout(noisy(bob.face, 0.3), bob.phone);
    expect(probe?.body.decision).toBe('authorized');
    const replay = await api.internalPost(`/internal/v1/checkouts/${checkoutId}/authorize`, { credentialId: probe?.body.credentialId, terminalId, terminalSessionId: checkoutId, transferId: randomUUID() });
    expect(replay.body).toMatchObject({ outcome: 'declined', reason: 'credential_reused' });
  });

  it('turns 100 concurrent retries of one checkout into exactly one payment', async () => {
    const checkoutId = randomUUID();
    const context = { checkoutId, merchantId, terminalId, amountMinor: '700', currency: 'EUR', terminalIdempotencyKey: randomUUID() };
    const liveness = await api.internalPost(`/internal/v1/checkouts/${checkoutId}/liveness`, {
      type: 'RecordLivenessVerdict', checkout: context, verdict: 'live', scores: { fused: 0.95 }, attackSpecies: null, reasons: [],
      frames: { received: 10, analyzed: 10, dropped: 0 }, frameDigests: [digest(0)], modelVersions: {}, decisionLatencyMs: 12, decidedAt: new Date().toISOString(),
    });
    const digits = liveness.body.phonePrompt.digitsRequested === 11 ? bob.phone : bob.phone.slice(-liveness.body.phonePrompt.digitsRequested);
    const probe = {
      type: 'SubmitFaceProbe', checkout: context, livenessVerdict: 'live', phoneDigits: digits, phoneDigitsKind: digits.startsWith('+') ? 'full_number' : 'last_digits',
      embedding: wire(noisy(bob.face, 0.3)), quality: { score: 0.9, faceBox: { x: 0, y: 0, width: 100, height: 100 }, details: {} }, probeFrame: digest(3), frameDigests: [digest(3)], modelVersions: { embedding: 'fr_feature' }, submittedAt: new Date().toISOString(),
    };
    await api.settle();
    const analyst = await api.login('analyst');
    const balance = async () => (await (await fetch(`${api.base}/v1/customers/${bob.id}/balance`, { headers: { authorization: `Bearer ${analyst}` } })).json()).debitsPostedMinor;
    const before = BigInt(await balance());
    const answers = await Promise.all(Array.from({ length: 100 }, () => api.internalPost(`/internal/v1/checkouts/${checkoutId}/face-probe`, probe)));
    const authorized = answers.filter((a) => a.body.decision === 'authorized');
    expect(authorized).toHaveLength(100);
    expect(new Set(authorized.map((a) => a.body.paymentId))).toEqual(new Set([checkoutId]));
    const events = await api.store.readStream(`checkout-${checkoutId}`);
    expect(events.filter((e) => e.type === 'PaymentAuthorized')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'PaymentCaptured')).toHaveLength(1);
    await api.settle();
    expect(BigInt(await balance()) - before).toBe(700n);
  });

  it('refunds part of a captured payment, then refuses more than what is left', async () => {
    const { checkoutId, probe } = await checkout(noisy(alice.face, 0.3), alice.phone, '2000');
    expect(probe?.body.decision).toBe('authorized');
    const analyst = await api.login('analyst');
    const refund = (amountMinor: string) =>
      fetch(`${api.base}/v1/payments/${checkoutId}/refunds`, {
        method: 'POST',
        headers: { authorization: `Bearer ${analyst}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
        body: JSON.stringify({ refundId: randomUUID(), amountMinor }),
      }).then(async (r) => ({ status: r.status, body: await r.json() }));
    expect(await refund('1500')).toMatchObject({ status: 200, body: { status: 'refunded', refundedMinor: '1500', refundableMinor: '500' } });
    const second = await refund('600');
    expect(second).toMatchObject({ status: 409, body: { code: 'refund_exceeds_captured' } });
  });

  it('refuses unsigned and replayed internal calls', async () => {
    const unsigned = await fetch(`${api.base}/internal/v1/checkouts/${randomUUID()}/liveness`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(unsigned.status).toBe(401);
    expect(await unsigned.json()).toMatchObject({ code: 'auth_missing' });
  });
  describe('phone + PIN, the alternative to the face', () => {
    const balance = async (customerId: string) => {
      await api.settle();
      const analyst = await api.login('analyst');
      return (await (await fetch(`${api.base}/v1/customers/${customerId}/balance`, { headers: { authorization: `Bearer ${analyst}` } })).json()) as { debitsPostedMinor: string };
    };
    const pinCheckout = (phoneNumber: string, pin: string, amountMinor: string) => {
      const checkoutId = randomUUID();
      const context = { checkoutId, merchantId, terminalId, amountMinor, currency: 'EUR', terminalIdempotencyKey: randomUUID() };
      const body = { type: 'StartPinCheckout', checkout: context, phoneNumber, pin };
      return { checkoutId, send: () => api.internalPost(`/internal/v1/pin-checkouts/${checkoutId}`, body) };
    };

    beforeAll(async () => {
      expect((await post(`/v1/customers/${alice.id}/pin`, { pin: '424242' })).status).toBe(200);
    });

    it('pays with the whole phone number and the right PIN, once however often the gateway retries', async () => {
      const before = BigInt((await balance(alice.id)).debitsPostedMinor);
      const attempt = pinCheckout(alice.phone, '424242', '300');
      const answers = await Promise.all([attempt.send(), attempt.send(), attempt.send()]);
      for (const answer of answers) expect(answer).toMatchObject({ status: 200, body: { decision: 'authorized', paymentId: attempt.checkoutId } });
      const events = await api.store.readStream(`checkout-${attempt.checkoutId}`);
      expect(events.map((e) => e.type)).toEqual(['CheckoutStarted', 'PhoneFactorRequested', 'PhoneFactorProvided', 'PinRequested', 'PinVerified', 'FaceCredentialIssued', 'PaymentAuthorized', 'PaymentCaptured']);
      expect(BigInt((await balance(alice.id)).debitsPostedMinor) - before).toBe(300n);
    });

    it('declines a wrong PIN and an unknown number without moving money, and never records the PIN', async () => {
      const before = (await balance(alice.id)).debitsPostedMinor;
      const wrong = pinCheckout(alice.phone, '000000', '300');
      expect((await wrong.send()).body).toMatchObject({ decision: 'declined', reason: 'pin_mismatch' });
      const unknown = pinCheckout('+8613899999999', '424242', '300');
      expect((await unknown.send()).body).toMatchObject({ decision: 'declined', reason: 'phone_mismatch' });
      expect((await balance(alice.id)).debitsPostedMinor).toBe(before);
      const stored = JSON.stringify(await api.store.readStream(`checkout-${wrong.checkoutId}`), (_key, value) => (typeof value === 'bigint' ? value.toString() : value));
      expect(stored).not.toContain('000000');
      expect(stored).not.toContain(alice.phone);
    });

    it('refuses a malformed PIN checkout with a clear error and records nothing', async () => {
      const attempt = pinCheckout(alice.phone, '42', '300');
      const answer = await attempt.send();
      expect(answer.status).toBe(400);
      expect(answer.body.code).toBeDefined();
      expect(await api.store.readStream(`checkout-${attempt.checkoutId}`)).toEqual([]);
    });

    it('asks for the PIN when the face is too close to another customer\'s, then pays on the right PIN', async () => {
      // Similarity about 0.5 to Alice: between the too-close (0.4) and duplicate (0.6) thresholds.
      const carol = { id: randomUUID(), phone: '+8613800000003', face: noisy(alice.face, 1.6) };
      expect((await post('/v1/customers', { customerId: carol.id, phone: carol.phone, currency: 'EUR', initialFundingMinor: '5000' })).status).toBe(200);
      expect((await post(`/v1/customers/${carol.id}/consent`, CONSENT)).status).toBe(200);
      await api.settle();
      const enrolled = await api.internalPost(`/internal/v1/enrollments/${carol.id}/face`, {
        templateRef: randomUUID(), embedding: wire(carol.face), quality: 0.9, modelVersion: 'fr_feature', livenessVerdict: 'live', livenessScores: { fused: 0.9 }, terminalId: 'enrollment-kiosk',
      });
      expect(enrolled.body).toMatchObject({ outcome: 'enrolled', duplicateCheck: 'too_close', pinRequired: true });
      expect((await post(`/v1/customers/${carol.id}/pin`, { pin: '135790' })).status).toBe(200);
      const { checkoutId, probe } = await checkout(noisy(carol.face, 0.3), carol.phone, '400');
      expect(probe?.body).toMatchObject({ decision: 'pin_required', reason: 'face_too_close' });
      const context = { checkoutId, merchantId, terminalId, amountMinor: '400', currency: 'EUR', terminalIdempotencyKey: 'unused' };
      const pin = await api.internalPost(`/internal/v1/checkouts/${checkoutId}/pin`, { type: 'SubmitPin', checkout: context, pin: '135790' });
      expect(pin.body).toEqual({ decision: 'authorized', paymentId: checkoutId });
      const again = await api.internalPost(`/internal/v1/checkouts/${checkoutId}/pin`, { type: 'SubmitPin', checkout: context, pin: '000000' });
      expect(again.body).toEqual({ decision: 'authorized', paymentId: checkoutId });
      expect((await balance(carol.id)).debitsPostedMinor).toBe('400');
    });
  });
});
