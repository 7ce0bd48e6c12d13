// Regression for what the kill -9 drill found: the api died after a payment's hold and before its capture; the
// gateway's retry of the face probe was answered "authorized" without capturing, leaving the money held.
import { randomUUID } from 'node:crypto';
import { PaymentFlow } from '../../app/payments/payment-flow.fixture';
import { startTestApi, type TestApi } from '../test-api';

describe('a face-probe retry after a crash between hold and capture', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
  }, 60_000);

  afterAll(async () => api?.close());

  it('captures the held payment once, and a further retry changes nothing', async () => {
    const flow = await PaymentFlow.open(api);
    await flow.registerTerminal('ter_crash');
    const customer = await flow.enrolledCustomer('+8613800138777', 10_000n);
    // The state a crash leaves: authorized (the hold is appended), capture never ran.
    const { checkoutId } = await flow.pay('ter_crash', customer, 780n, 'hold');
    const context = { checkoutId, merchantId: randomUUID(), terminalId: 'ter_crash', amountMinor: '780', currency: 'EUR', terminalIdempotencyKey: randomUUID() };
    const digest = { seq: 3, rgbSha256: 'ab'.repeat(32), status: 'analyzed' };
    const face = Buffer.from(customer.face.buffer, customer.face.byteOffset, customer.face.byteLength).toString('base64');
    const retry = () =>
      api.internalPost(`/internal/v1/checkouts/${checkoutId}/face-probe`, {
        type: 'SubmitFaceProbe', checkout: context, livenessVerdict: 'live', phoneDigits: customer.phone, phoneDigitsKind: 'full_number',
        embedding: { encoding: 'float32le-base64', dimensions: customer.face.length, data: face }, quality: { score: 0.9, faceBox: { x: 0, y: 0, width: 100, height: 100 }, details: {} },
        probeFrame: digest, frameDigests: [digest], modelVersions: { embedding: 'arcface-r100@1' }, submittedAt: new Date().toISOString(),
      });
    expect((await retry()).body).toMatchObject({ decision: 'authorized', paymentId: checkoutId });
    expect((await retry()).body).toMatchObject({ decision: 'authorized', paymentId: checkoutId });
    const events = (await api.store.readStream(`checkout-${checkoutId}`)).map((e) => e.type);
    expect(events.filter((t) => t === 'PaymentAuthorized')).toHaveLength(1);
    expect(events.filter((t) => t === 'PaymentCaptured')).toHaveLength(1);
  }, 60_000);
});
