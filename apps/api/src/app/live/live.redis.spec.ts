import { LIVE_NAMESPACE, type PaymentFeedItem } from '@smilepay/shared/contracts';
import { createConnection } from 'node:net';
import { io, type Socket } from 'socket.io-client';
import { signatureHeaders, signRequest } from '@smilepay/shared/request-signing';
import { INTERNAL_HEADERS } from '../auth/auth.guard';
import { startTestApi, TEST_INTERNAL_TOKEN, type TestApi } from '../../testing/test-api';
import { ClusterService } from '../cluster/cluster.service';
import { PaymentFlow } from '../payments/payment-flow.fixture';

// Two apis boot here (about 3 s each on a quiet machine; others share these 2 cores).
jest.setTimeout(60_000);

const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** Resolves with the first value `take` accepts among the events of that name, or fails after `timeoutMs`. */
function next<T>(socket: Socket, event: string, take: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no matching ${event} within ${timeoutMs} ms`)), timeoutMs);
    const listener = (value: T) => {
      if (!take(value)) return;
      clearTimeout(timer);
      socket.off(event, listener);
      resolve(value);
    };
    socket.on(event, listener);
  });
}

/** A clear failure when the CI service is down, instead of a socket that never hears anything. */
function assertRedisListening(url: string): Promise<void> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: hostname, port: Number(port || 6379) });
    socket.setTimeout(2_000, () => socket.destroy(new Error(`Redis at ${url} did not answer within 2 s`)));
    socket.once('connect', () => (socket.end(), resolve()));
    socket.once('error', (error) => reject(new Error(`this test needs Redis at ${url}: ${error.message}`)));
  });
}

/**
 * Two api instances behind one (imaginary) load balancer: one event store and one read-model schema, shared. Instance
 * B leads and runs the projections; instance A never stands for election (API_CONSUMERS=off), so a dashboard connected to A can only hear of a
 * payment made through B via B's broadcast crossing Redis.
 */
describe('two api instances sharing Redis', () => {
  let apiB: TestApi;
  let apiA: TestApi;
  let socket: Socket | undefined;

  beforeAll(async () => {
    await assertRedisListening(REDIS_URL);
    apiB = await startTestApi({ readModels: 'postgres', env: { REDIS_URL } });
    apiA = await startTestApi({ readModels: 'postgres', join: apiB, env: { REDIS_URL, API_CONSUMERS: 'off' } });
  });
  afterAll(async () => {
    socket?.close();
    await apiA?.close();
    await apiB?.close();
  });

  it('shows a dashboard on instance A a payment made through instance B', async () => {
    expect(apiA.app.get(ClusterService).isLeader).toBe(false);
    expect(apiB.app.get(ClusterService).isLeader).toBe(true);
    const flow = await PaymentFlow.open(apiB);
    await flow.registerTerminal('ter_redis');
    const alice = await flow.enrolledCustomer('+8613800138555', 10_000n);

    const token = await apiA.login('analyst');
    socket = io(apiA.base + LIVE_NAMESPACE, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
    await next(socket, 'connect', () => true);
    const updates: PaymentFeedItem[] = [];
    socket.on('payments.updated', (items: PaymentFeedItem[]) => updates.push(...items));

    const { checkoutId } = await flow.pay('ter_redis', alice, 1_250n);
    const isCaptured = (item: PaymentFeedItem) => item.paymentId === checkoutId && item.status === 'captured';
    const captured = (await next<PaymentFeedItem[]>(socket, 'payments.updated', (items) => items.some(isCaptured))).find(isCaptured) as PaymentFeedItem;

    expect(captured).toMatchObject({ customerId: alice.customerId, amountMinor: '1250', terminalId: 'ter_redis' });
    // Instance A reads the same read model B's projections wrote: its REST answer equals the push.
    await apiA.settle();
    const rest = await fetch(`${apiA.base}/v1/payments/${checkoutId}`, { headers: { authorization: `Bearer ${token}` } });
    expect(await rest.json()).toMatchObject({ status: 'captured', updatedAt: captured.updatedAt });
    // Statuses only move forward: each push is a committed state of the read model.
    const order = ['started', 'authorized', 'captured'];
    const statuses = updates.filter((u) => u.paymentId === checkoutId).map((u) => order.indexOf(u.status));
    expect(statuses).toEqual([...statuses].sort((a, b) => a - b));
  });

  it('refuses on instance A a signed gateway call that instance B already accepted (nonces are shared)', async () => {
    const path = '/internal/v1/checkouts/chk_replay_probe/liveness';
    const text = JSON.stringify({ unexpected: true });
    const headers = { ...signatureHeaders(INTERNAL_HEADERS, signRequest('gateway', Buffer.from(TEST_INTERNAL_TOKEN), 'POST', path, text)), 'content-type': 'application/json' };
    const send = (api: TestApi) => fetch(api.base + path, { method: 'POST', headers, body: text });

    // B checks the signature, claims the nonce, then refuses the body itself: the call got past authentication.
    const first = await send(apiB);
    expect(first.status).toBe(400);
    const replayed = await send(apiA);
    expect({ status: replayed.status, body: await replayed.json() }).toMatchObject({ status: 401, body: { code: 'auth_replayed_nonce' } });
  });
});
