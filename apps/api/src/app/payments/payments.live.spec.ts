import { LIVE_NAMESPACE, type KpiSnapshot, type PaymentFeedItem } from '@smilepay/shared/contracts';
import { io, type Socket } from 'socket.io-client';
import { startTestApi, type TestApi } from '../../testing/test-api';
import { PaymentFlow, type Customer } from './payment-flow.fixture';
import { KPI_INTERVAL_MS } from './payments-live.publisher';

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

describe.each(['sqlite', 'postgres'] as const)('live payment push (read models on %s)', (readModels) => {
  let api: TestApi;
  let flow: PaymentFlow;
  let alice: Customer;
  const sockets: Socket[] = [];

  const connect = (auth: Record<string, string>) => {
    const socket = io(api.base + LIVE_NAMESPACE, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    api = await startTestApi({ readModels });
    flow = await PaymentFlow.open(api);
    await flow.registerTerminal('ter_a');
    alice = await flow.enrolledCustomer('+8613800138000', 10_000n);
    await api.settle();
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await api.close();
  });

  it('pushes payments.updated as the read model records each step, then the KPIs', async () => {
    const socket = connect({ token: await api.login('auditor') });
    await next(socket, 'connect', () => true);
    const updates: PaymentFeedItem[] = [];
    socket.on('payments.updated', (items: PaymentFeedItem[]) => updates.push(...items));
    const kpi = next<KpiSnapshot>(socket, 'kpi.updated', (k) => k.paymentsPerMinute >= 1);
    const capturedPush = next<PaymentFeedItem[]>(socket, 'payments.updated', (items) => items.some((item) => item.status === 'captured'));
    const { checkoutId } = await flow.pay('ter_a', alice, 1_250n);
    const captured = (await capturedPush).find((item) => item.status === 'captured') as PaymentFeedItem;
    expect(captured).toMatchObject({ paymentId: checkoutId, customerId: alice.customerId, amountMinor: '1250', livenessVerdict: 'live', terminalId: 'ter_a' });
    // Every push is what the read model held at a commit: statuses only move forward, times never go back.
    const mine = updates.filter((u) => u.paymentId === checkoutId);
    const order = ['started', 'authorized', 'captured'];
    const statuses = mine.map((u) => order.indexOf(u.status));
    expect(statuses).toEqual([...statuses].sort((a, b) => a - b));
    expect(mine.map((u) => u.updatedAt)).toEqual([...mine.map((u) => u.updatedAt)].sort());
    const rest = await fetch(`${api.base}/v1/payments/${checkoutId}`, { headers: { authorization: `Bearer ${await api.login('analyst')}` } });
    expect(await rest.json()).toMatchObject({ status: 'captured', updatedAt: captured.updatedAt });
    expect(await kpi).toMatchObject({ paymentsPerMinute: expect.any(Number), spoofsBlocked: 0 });
  });

  it('pushes the KPIs at most once a second however many payments commit', async () => {
    const socket = connect({ token: await api.login('analyst') });
    await next(socket, 'connect', () => true);
    const kpis: number[] = [];
    socket.on('kpi.updated', () => kpis.push(Date.now()));
    const spoofs: string[] = [];
    for (let i = 0; i < 6; i++) spoofs.push(await flow.spoof('ter_a'));
    await next<PaymentFeedItem[]>(socket, 'payments.updated', (items) => items.some((item) => item.paymentId === spoofs[spoofs.length - 1] && item.status === 'declined'));
    // The trailing push follows within a second of the last commit.
    await new Promise((resolve) => setTimeout(resolve, KPI_INTERVAL_MS + 300));
    expect(kpis.length).toBeGreaterThan(0);
    const gaps = kpis.slice(1).map((t, i) => t - kpis[i]);
    expect(gaps.every((gap) => gap >= KPI_INTERVAL_MS - 100)).toBe(true);
  });

  it('refuses a socket without a valid token', async () => {
    for (const auth of [{}, { token: 'forged' }] as Record<string, string>[]) {
      const socket = connect(auth);
      const error = next<{ code: string }>(socket, 'error', () => true);
      const gone = next<string>(socket, 'disconnect', () => true);
      expect(await error).toMatchObject({ code: 'unauthenticated' });
      await gone;
      expect(socket.connected).toBe(false);
    }
  });
});
