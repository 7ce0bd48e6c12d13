import { LIVE_NAMESPACE } from '@smilepay/shared/contracts';
import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { startTestApi, type TestApi } from '../../testing/test-api';
import { ProjectionsService } from '../infrastructure/projections.service';
import { CONSENT, unitVector, wire } from '../../testing/face-vectors';

const metricsToken = 'metrics-token-for-tests-0123456789';

const digest = (seq: number) => ({ seq, rgbSha256: 'ab'.repeat(32), status: 'analyzed' });

/** The value of one series (labels in any order) in a Prometheus text exposition, or 0 when it is absent. */
function value(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries({ ...labels, service: 'api' }).map(([k, v]) => `${k}="${v}"`);
  const line = text.split('\n').find((l) => {
    const match = /^([a-z_:]+)\{(.*)\} /.exec(l);
    if (!match || match[1] !== name) return false;
    const got = match[2].split(',');
    return got.length === wanted.length && wanted.every((w) => got.includes(w));
  });
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

// Terminus probes and the Prometheus scrape of the real api (embedded store), after real traffic on the gateway routes.
describe('api health and metrics', () => {
  let api: TestApi;
  let admin: string;
  const merchantId = randomUUID();
  const terminalId = 'till-metrics';
  const customer = { id: randomUUID(), phone: '+8613800000077', face: unitVector(0.31) };

  const post = async (path: string, body: unknown) => {
    const response = await fetch(api.base + path, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() }, body: JSON.stringify(body) });
    return { status: response.status, body: await response.json() };
  };

  const scrape = async () => {
    const response = await fetch(`${api.base}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } });
    expect(response.status).toBe(200);
    return response.text();
  };

  async function checkout(face: Float32Array, verdict: 'live' | 'spoof') {
    const checkoutId = randomUUID();
    const context = { checkoutId, merchantId, terminalId, amountMinor: '1250', currency: 'EUR', terminalIdempotencyKey: randomUUID() };
    const liveness = await api.internalPost(`/internal/v1/checkouts/${checkoutId}/liveness`, {
      type: 'RecordLivenessVerdict', checkout: context, verdict, scores: { fused: verdict === 'live' ? 0.95 : 0.05 }, attackSpecies: verdict === 'live' ? null : 'print', reasons: [],
      frames: { received: 10, analyzed: 10, dropped: 0 }, frameDigests: [digest(0)], modelVersions: {}, decisionLatencyMs: 12, decidedAt: new Date().toISOString(),
    });
    expect(liveness.status).toBe(200);
    if (!liveness.body.accepted) return;
    const digits = customer.phone.slice(-liveness.body.phonePrompt.digitsRequested);
    const probe = await api.internalPost(`/internal/v1/checkouts/${checkoutId}/face-probe`, {
      type: 'SubmitFaceProbe', checkout: context, livenessVerdict: 'live', phoneDigits: digits.length === 11 ? customer.phone : digits, phoneDigitsKind: digits.length >= 11 ? 'full_number' : 'last_digits',
      embedding: wire(face), quality: { score: 0.9, faceBox: { x: 0, y: 0, width: 100, height: 100 }, details: {} }, probeFrame: digest(3), frameDigests: [digest(3)], modelVersions: { embedding: 'fr_feature' }, submittedAt: new Date().toISOString(),
    });
    expect(probe).toMatchObject({ status: 200, body: { decision: 'authorized' } });
  }

  beforeAll(async () => {
    api = await startTestApi({ env: { METRICS_TOKEN: metricsToken } });
    admin = await api.login('admin');
    expect((await post('/v1/merchants', { merchantId, name: 'Metrics Shop', currency: 'EUR' })).status).toBe(200);
    expect((await post('/v1/terminals', { terminalId, merchantId })).status).toBe(200);
    expect((await post('/v1/customers', { customerId: customer.id, phone: customer.phone, currency: 'EUR', initialFundingMinor: '50000' })).status).toBe(200);
    expect((await post(`/v1/customers/${customer.id}/consent`, CONSENT)).status).toBe(200);
    await api.settle();
    const enrolled = await api.internalPost(`/internal/v1/enrollments/${customer.id}/face`, {
      templateRef: randomUUID(), embedding: wire(customer.face), quality: 0.9, modelVersion: 'fr_feature', livenessVerdict: 'live', livenessScores: { fused: 0.9 }, terminalId: 'enrollment-kiosk',
    });
    expect(enrolled).toMatchObject({ status: 200, body: { outcome: 'enrolled' } });
    await api.settle();
  }, 60_000);

  afterAll(async () => api.close());

  it('is live and ready with the event store, the read models and the projections up', async () => {
    const live = await fetch(`${api.base}/health/live`);
    expect(live.status).toBe(200);
    const ready = await fetch(`${api.base}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok', info: { eventstore: { status: 'up' }, read_models: { status: 'up', dialect: 'sqlite' }, projections: { status: 'up' } } });
  });

  it('refuses a scrape without the token', async () => {
    expect((await fetch(`${api.base}/metrics`)).status).toBe(401);
  });

  it('shows payments by status, verdicts, decision latency, sockets and queues moving with real traffic', async () => {
    const before = await scrape();
    const token = await api.login('analyst');
    const socket: Socket = io(api.base + LIVE_NAMESPACE, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
    await new Promise<void>((resolve, reject) => (socket.once('connect', () => resolve()), socket.once('connect_error', reject)));
    try {
      await checkout(customer.face, 'live');
      await checkout(customer.face, 'live');
      await checkout(customer.face, 'spoof');
      await api.settle();
      const after = await scrape();
      expect(value(after, 'smilepay_payments', { status: 'captured' }) - value(before, 'smilepay_payments', { status: 'captured' })).toBe(2);
      expect(value(after, 'smilepay_payments', { status: 'declined' }) - value(before, 'smilepay_payments', { status: 'declined' })).toBe(1);
      expect(value(after, 'smilepay_liveness_verdicts', { verdict: 'live', species: 'none' })).toBe(2);
      expect(value(after, 'smilepay_liveness_verdicts', { verdict: 'spoof', species: 'print' })).toBe(1);
      expect(value(after, 'smilepay_api_decision_latency_seconds_count', { step: 'liveness', status: '200' })).toBe(3);
      expect(value(after, 'smilepay_api_decision_latency_seconds_count', { step: 'face_probe', status: '200' })).toBe(2);
      expect(value(after, 'smilepay_api_connected_sockets')).toBe(1);
      expect(value(after, 'smilepay_projection_lag_events', { projection: 'payments' })).toBe(0);
      for (const queue of ['live_push_payments', 'live_push_claims', 'live_push_risk_alerts']) expect(after).toMatch(new RegExp(`^smilepay_queue_depth\\{.*queue="${queue}".*\\} \\d+$`, 'm'));
    } finally {
      socket.disconnect();
    }
  });

  it('counts the events a stopped projection runner has not applied as lag', async () => {
    const runner = api.app.get(ProjectionsService).runner;
    await runner.stop();
    try {
      expect((await post('/v1/customers', { customerId: randomUUID(), phone: '+8613800000078', currency: 'EUR', initialFundingMinor: '100' })).status).toBe(200);
      const lagging = await scrape();
      expect(value(lagging, 'smilepay_projection_lag_events', { projection: 'payments' })).toBeGreaterThan(0);
      expect(value(lagging, 'smilepay_projection_lag_events', { projection: 'customers' })).toBeGreaterThan(0);
    } finally {
      await runner.start();
    }
    await api.settle();
    expect(value(await scrape(), 'smilepay_projection_lag_events', { projection: 'payments' })).toBe(0);
  });

  it('is still live but not ready once the event store is gone', async () => {
    await api.store.close();
    const ready = await fetch(`${api.base}/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'error', error: { eventstore: { status: 'down' } }, info: { read_models: { status: 'up' } } });
    expect((await fetch(`${api.base}/health/live`)).status).toBe(200);
  });
});
