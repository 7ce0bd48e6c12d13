// Section 4 drill: 10,000 malformed API bodies (fast-check) against every POST route of the route table, each sent
// with the credentials the route wants (so the body, not the guard, is what gets tested). Expect no 5xx, only 4xx
// answers with an error code, and a healthy api that still serves a genuine payment afterwards.
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { signatureHeaders, signRequest } from '@smilepay/shared/request-signing';
import { INTERNAL_HEADERS } from '../../app/auth/auth.guard';
import { PaymentFlow } from '../../app/payments/payment-flow.fixture';
import { startTestApi, TEST_INTERNAL_TOKEN, type TestApi } from '../test-api';
import { discoverRoutes, type RouteEntry } from './route-table';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 10_000);

/** A body and the content type it claims; several lie. */
const malformedBody = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((v) => ({ text: JSON.stringify(v) ?? 'null', type: 'application/json' })),
  fc.string({ maxLength: 200 }).map((text) => ({ text, type: 'application/json' })),
  fc.jsonValue({ maxDepth: 3 }).map((v) => {
    const text = JSON.stringify(v) ?? 'null';
    return { text: text.slice(0, Math.max(0, text.length - 1 - (text.length % 7))), type: 'application/json' };
  }),
  fc.dictionary(
    fc.constantFrom('amountMinor', 'currency', 'customerId', 'checkoutId', 'phone', 'transfers', 'embedding', '__proto__', 'constructor', 'type', 'checkout', 'verdict', 'refundId', 'reason'),
    fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant('-1'), fc.constant('1e309'), fc.constant('99999999999999999999999'), fc.array(fc.string(), { maxLength: 3 }), fc.object({ maxDepth: 2 })),
  ).map((v) => ({ text: JSON.stringify(v), type: 'application/json' })),
  fc.integer({ min: 100, max: 5_000 }).map((depth) => ({ text: '['.repeat(depth) + ']'.repeat(depth), type: 'application/json' })),
  fc.jsonValue({ maxDepth: 2 }).map((v) => ({ text: JSON.stringify(v) ?? 'null', type: fc.sample(fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/octet-stream'), 1)[0] })),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => ({ text: Buffer.from(bytes).toString('latin1'), type: 'application/json' })),
);

describe('fuzzing API bodies', () => {
  let api: TestApi;
  let routes: RouteEntry[];
  let admin: string;

  beforeAll(async () => {
    api = await startTestApi();
    admin = await api.login('admin');
    routes = discoverRoutes(api.app).filter((r) => r.method === 'POST' && r.path !== '/v1/auth/login');
  }, 60_000);

  afterAll(async () => api?.close());

  async function send(route: RouteEntry, body: { text: string; type: string }): Promise<{ status: number; code: unknown }> {
    const path = route.path.replace(/:[A-Za-z]+/g, () => randomUUID());
    const headers: Record<string, string> = { 'content-type': body.type, 'idempotency-key': randomUUID() };
    if (route.access.kind === 'internal') Object.assign(headers, signatureHeaders(INTERNAL_HEADERS, signRequest('gateway', Buffer.from(TEST_INTERNAL_TOKEN), 'POST', path, body.text)));
    else headers['authorization'] = `Bearer ${admin}`;
    const response = await fetch(api.base + path, { method: 'POST', headers, body: body.text, signal: AbortSignal.timeout(10_000) });
    const parsed = (await response.json().catch(() => undefined)) as { code?: unknown } | undefined;
    return { status: response.status, code: parsed?.code };
  }

  it(`answers ${RUNS} malformed bodies with 4xx and an error code, never 5xx, and still serves payments after`, async () => {
    const statuses = new Map<number, number>();
    const bad: string[] = [];
    const cases = fc.sample(fc.tuple(fc.constantFrom(...routes), malformedBody), { numRuns: RUNS, seed: 7 });
    // A few requests in flight at once, as from several clients; bounded so the test stays a test, not a load test.
    let next = 0;
    const worker = async () => {
      while (next < cases.length) {
        const [route, body] = cases[next++];
        const answer = await send(route, body);
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        const acceptable = answer.status < 300 || (answer.status >= 400 && answer.status < 500 && typeof answer.code === 'string');
        if (!acceptable && bad.length < 20) bad.push(`${route.path} ${body.type} ${JSON.stringify(body.text.slice(0, 120))}: ${answer.status} ${String(answer.code)}`);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    process.stdout.write(`body fuzz: ${cases.length} bodies over ${routes.length} POST routes; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}\n`);
    expect(bad).toEqual([]);
    expect([...statuses.keys()].filter((s) => s >= 500)).toEqual([]);

    expect((await fetch(`${api.base}/health/live`)).status).toBe(200);
    const flow = await PaymentFlow.open(api);
    await flow.registerTerminal('ter_after_fuzz');
    const customer = await flow.enrolledCustomer('+8613800138999', 10_000n);
    const { checkoutId } = await flow.pay('ter_after_fuzz', customer, 1_000n);
    await api.settle();
    const analyst = await api.login('analyst');
    const payment = await fetch(`${api.base}/v1/payments/${checkoutId}`, { headers: { authorization: `Bearer ${analyst}` } });
    expect(payment.status).toBe(200);
    expect(await payment.json()).toMatchObject({ status: 'captured' });
  }, 300_000);
});
