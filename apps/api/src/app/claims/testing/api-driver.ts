import { randomUUID } from 'node:crypto';
import type { TestApi } from '../../../testing/test-api';
import { CONSENT, unitVector, noisy, wire } from '../../../testing/face-vectors';
export { CONSENT, unitVector };

/**
 * Test support for the claims and risk api specs: onboarding, face enrolment and face checkouts through the api's own
 * routes (admin routes and the gateway's signed internal routes), so every service in the path is the api's.
 */

const digest = (seq: number) => ({ seq, rgbSha256: (seq % 10).toString().repeat(64), status: 'analyzed' });

export interface ApiCustomer {
  id: string;
  phone: string;
  face: Float32Array;
  walletAccountId: string;
}

export class ApiDriver {
  private constructor(
    readonly api: TestApi,
    readonly admin: string,
    readonly merchantId: string,
  ) {}

  static async open(api: TestApi): Promise<ApiDriver> {
    const driver = new ApiDriver(api, await api.login('admin'), randomUUID());
    await driver.expectOk('/v1/merchants', { merchantId: driver.merchantId, name: 'Corner Shop', currency: 'EUR' });
    return driver;
  }

  /** Any route, as any caller; `key` becomes the Idempotency-Key header. The body is whatever JSON the route sent. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- specs read arbitrary response JSON, as TestApi.internalPost does
  async call(token: string, method: string, path: string, body?: unknown, key?: string): Promise<{ status: number; body: any }> {
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    if (key !== undefined) headers['idempotency-key'] = key;
    const response = await fetch(this.api.base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: response.status, body: await response.json() };
  }

  private async expectOk(path: string, body: unknown): Promise<{ walletAccountId?: string }> {
    const response = await this.call(this.admin, 'POST', path, body, randomUUID());
    if (response.status !== 200) throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  }

  registerTerminal(terminalId: string): Promise<unknown> {
    return this.expectOk('/v1/terminals', { terminalId, merchantId: this.merchantId });
  }

  async enrolledCustomer(phone: string, seed: number, fundingMinor = '50000'): Promise<ApiCustomer> {
    const id = randomUUID();
    const face = unitVector(seed);
    const registered = await this.expectOk('/v1/customers', { customerId: id, phone, currency: 'EUR', initialFundingMinor: fundingMinor });
    await this.expectOk(`/v1/customers/${id}/consent`, CONSENT);
    await this.settle();
    const enrolled = await this.api.internalPost(`/internal/v1/enrollments/${id}/face`, {
      templateRef: randomUUID(), embedding: wire(face), quality: 0.9, modelVersion: 'fr_feature', livenessVerdict: 'live', livenessScores: { fused: 0.9 }, terminalId: 'enrollment-kiosk',
    });
    if (enrolled.status !== 200) throw new Error(`enrolment: ${enrolled.status} ${JSON.stringify(enrolled.body)}`);
    if (registered.walletAccountId === undefined) throw new Error('registration answered without a wallet');
    return { id, phone, face, walletAccountId: registered.walletAccountId };
  }

  /** A face checkout through the gateway routes; returns the payment id (the checkout id) and the decision. */
  async pay(terminalId: string, customer: ApiCustomer, amountMinor: string, seed: number): Promise<{ paymentId: string; decision: string; reason?: string }> {
    const checkoutId = randomUUID();
    const checkout = { checkoutId, merchantId: this.merchantId, terminalId, amountMinor, currency: 'EUR', terminalIdempotencyKey: randomUUID() };
    const liveness = await this.liveness(checkout, 'live');
    if (!liveness.body.accepted) return { paymentId: checkoutId, decision: 'declined', reason: 'liveness' };
    const requested = liveness.body.phonePrompt.digitsRequested;
    const digits = requested === 11 ? customer.phone : customer.phone.slice(-requested);
    const probe = await this.api.internalPost(`/internal/v1/checkouts/${checkoutId}/face-probe`, {
      type: 'SubmitFaceProbe', checkout, livenessVerdict: 'live', phoneDigits: digits, phoneDigitsKind: requested === 11 ? 'full_number' : 'last_digits',
      embedding: wire(noisy(customer.face, 0.3, seed)), quality: { score: 0.9, faceBox: { x: 0, y: 0, width: 100, height: 100 }, details: {} }, probeFrame: digest(3), frameDigests: [digest(3)], modelVersions: { embedding: 'fr_feature' }, submittedAt: new Date().toISOString(),
    });
    if (probe.status !== 200) throw new Error(`face probe: ${probe.status} ${JSON.stringify(probe.body)}`);
    return { paymentId: checkoutId, decision: probe.body.decision, reason: probe.body.reason };
  }

  /** A presentation attack at the terminal: the liveness verdict is spoof. */
  async spoof(terminalId: string): Promise<string> {
    const checkoutId = randomUUID();
    await this.liveness({ checkoutId, merchantId: this.merchantId, terminalId, amountMinor: '500', currency: 'EUR', terminalIdempotencyKey: randomUUID() }, 'spoof');
    return checkoutId;
  }

  private async liveness(checkout: Record<string, string>, verdict: 'live' | 'spoof') {
    const response = await this.api.internalPost(`/internal/v1/checkouts/${checkout['checkoutId']}/liveness`, {
      type: 'RecordLivenessVerdict', checkout, verdict, scores: { fused: verdict === 'live' ? 0.95 : 0.05 }, attackSpecies: verdict === 'live' ? null : 'print', reasons: [],
      frames: { received: 10, analyzed: 10, dropped: 0 }, frameDigests: [digest(0), digest(1)], modelVersions: {}, decisionLatencyMs: 12, decidedAt: new Date().toISOString(),
    });
    if (response.status !== 200) throw new Error(`liveness: ${response.status} ${JSON.stringify(response.body)}`);
    return response;
  }

  /** Until the store's head stops moving: subscribers (the risk detector) append while they apply. */
  async settle(): Promise<void> {
    for (let head = -2n, next = await this.api.store.headPosition(); head !== next; head = next, next = await this.api.store.headPosition()) {
      await this.api.settle();
    }
  }
}
