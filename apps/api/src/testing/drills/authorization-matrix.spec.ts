// Section 4 drill: the authorization matrix, generated from the route table. Every HTTP route Nest mapped is tried
// as anonymous, as each dashboard role and as the terminal gateway (HMAC-signed); only the cells its metadata allows
// may get past the guard. The live socket is tried the same way.
import { randomUUID } from 'node:crypto';
import type { Role } from '@smilepay/shared/contracts';
import { io } from 'socket.io-client';
import { INTERNAL_HEADERS } from '../../app/auth/auth.guard';
import { signatureHeaders, signRequest } from '@smilepay/shared/request-signing';
import { LiveGateway } from '../../app/live/live.gateway';
import { startTestApi, TEST_INTERNAL_TOKEN, type TestApi } from '../test-api';
import { discoverRoutes, routerStack, type RouteEntry } from './route-table';

const ROLES: Role[] = ['analyst', 'auditor', 'admin'];
type Caller = 'anonymous' | Role | 'gateway';
const CALLERS: Caller[] = ['anonymous', ...ROLES, 'gateway'];

function allowed(route: RouteEntry, caller: Caller): boolean {
  switch (route.access.kind) {
    case 'public':
      return true;
    case 'internal':
      return caller === 'gateway';
    case 'roles':
      return caller !== 'anonymous' && caller !== 'gateway' && route.access.roles.includes(caller);
    case 'closed':
      return false;
  }
}

describe('authorization matrix from the route table', () => {
  let api: TestApi;
  let routes: RouteEntry[];
  const tokens: Partial<Record<Role, string>> = {};

  beforeAll(async () => {
    api = await startTestApi();
    routes = discoverRoutes(api.app);
    for (const role of ROLES) tokens[role] = await api.login(role);
  }, 60_000);

  afterAll(async () => api?.close());

  async function call(route: RouteEntry, caller: Caller): Promise<{ status: number; body: any }> {
    // Path parameters get a well-formed id, so an allowed call fails (if at all) on validation or lookup, not auth.
    const path = route.path.replace(/:[A-Za-z]+/g, () => randomUUID());
    const body = route.method === 'GET' ? undefined : '{}';
    const headers: Record<string, string> = { 'idempotency-key': randomUUID() };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (caller === 'gateway') Object.assign(headers, signatureHeaders(INTERNAL_HEADERS, signRequest('gateway', Buffer.from(TEST_INTERNAL_TOKEN), route.method, path, body ?? '')));
    else if (caller !== 'anonymous') headers['authorization'] = `Bearer ${tokens[caller]}`;
    const response = await fetch(api.base + path, { method: route.method, headers, body, signal: AbortSignal.timeout(10_000) });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Non-JSON answers (an export stream, say) are fine for allowed cells; the status is what is checked.
    }
    return { status: response.status, body: parsed };
  }

  it('covers every route express will answer, and every route has an explicit rule', () => {
    const discovered = new Set(routes.map((r) => `${r.method} ${r.path}`));
    // Routes in express's stack that no Nest controller owns (Swagger's /docs pages are added by SwaggerModule).
    const stack = routerStack(api.app);
    expect(stack.length).toBeGreaterThanOrEqual(routes.length);
    const unowned = stack.filter((r) => !discovered.has(`${r.method} ${r.path}`));
    expect(unowned.filter((r) => !r.path.startsWith('/docs'))).toEqual([]);
    expect(routes.filter((r) => r.access.kind === 'closed')).toEqual([]);
    expect(routes.length).toBeGreaterThan(30);
  });

  it('lets exactly the allowed cells past the guard; every refusal is a 401 or 403 with an error code', async () => {
    const wrong: string[] = [];
    const cells: Record<string, number> = { allowed: 0, refused: 0 };
    for (const route of routes) {
      for (const caller of CALLERS) {
        const answer = await call(route, caller);
        const passedGuard = answer.status !== 401 && answer.status !== 403;
        const expected = allowed(route, caller);
        cells[expected ? 'allowed' : 'refused']++;
        if (passedGuard !== expected) wrong.push(`${route.method} ${route.path} as ${caller}: ${answer.status} (expected ${expected ? 'allowed' : 'refused'})`);
        if (!passedGuard && typeof answer.body?.code !== 'string') wrong.push(`${route.method} ${route.path} as ${caller}: ${answer.status} without an error code`);
        if (answer.status >= 500) wrong.push(`${route.method} ${route.path} as ${caller}: ${answer.status} ${JSON.stringify(answer.body)}`);
      }
    }
    process.stdout.write(`authorization matrix: ${routes.length} routes x ${CALLERS.length} callers = ${cells.allowed + cells.refused} cells, ${cells.allowed} allowed, ${cells.refused} refused, ${wrong.length} wrong\n`);
    expect(wrong).toEqual([]);
  }, 120_000);

  it('refuses anonymous and forged sockets, admits every role, and delivers broadcasts only to admitted sockets', async () => {
    // The api's own publishers push too (KPIs, payments from earlier tests): count the probe broadcast by its marker,
    // and for refused sockets any live event at all.
    const connect = (token: string | undefined) =>
      new Promise<{ connected: boolean; probes: number; anyEvent: boolean }>((resolve) => {
        const socket = io(`${api.base}/live`, { transports: ['websocket'], auth: token === undefined ? {} : { token }, reconnection: false });
        const probe = `probe-${Math.random().toString(36).slice(2)}`;
        let probes = 0;
        let anyEvent = false;
        for (const event of ['payments.updated', 'kpi.updated', 'alert.raised', 'claim.updated']) socket.on(event, () => (anyEvent = true));
        socket.on('kpi.updated', (kpi: { probe?: string }) => void (kpi.probe === probe && probes++));
        const done = () => resolve({ connected: socket.connected, probes, anyEvent });
        socket.on('connect', () => {
          setTimeout(() => {
            api.app.get(LiveGateway).broadcast('kpi.updated', { windowSeconds: 60, probe } as never);
            setTimeout(() => {
              done();
              socket.close();
            }, 200);
          }, 100);
        });
        socket.on('disconnect', done);
        socket.on('connect_error', done);
      });
    expect(await connect(undefined)).toEqual({ connected: false, probes: 0, anyEvent: false });
    expect(await connect('forged.token.value')).toEqual({ connected: false, probes: 0, anyEvent: false });
    for (const role of ROLES) expect(await connect(tokens[role])).toMatchObject({ connected: true, probes: 1 });
  }, 30_000);
});
