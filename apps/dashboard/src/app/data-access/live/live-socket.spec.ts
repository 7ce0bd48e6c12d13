/**
 * The socket.io server in this test is Node code; without the node export conditions jsdom would hand it the
 * browser build of `ws`. The client then uses its Node transports against a real server, which is what we want.
 * @jest-environment-options {"customExportConditions": ["node", "require", "default"]}
 */
import { ErrorHandler } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { KpiSnapshot, LiveServerEvents } from '@smilepay/shared/contracts';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { API_BASE_URL } from '../config/api-base-url';
import { LiveSocket } from './live-socket';

const kpi: KpiSnapshot = { at: '2025-01-01T00:00:00Z', paymentsPerMinute: 12, approvalRate: 0.9, spoofsBlocked: 1, decisionLatencyMsP95: 300 };

/** A real socket.io server with the api's handshake rule: a token in `auth`, or the connection is refused. */
async function startServer(): Promise<{ io: Server<Record<string, never>, LiveServerEvents>; http: HttpServer; url: string; tokens: string[] }> {
  const http = createServer();
  const io = new Server<Record<string, never>, LiveServerEvents>(http, { cors: { origin: '*' } });
  const tokens: string[] = [];
  io.of('/live').use((socket, next) => {
    const token = (socket.handshake.auth as { token?: string }).token ?? '';
    tokens.push(token);
    return token === 'good-token' ? next() : next(new Error('unauthorized'));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return { io, http, url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, tokens };
}

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('LiveSocket', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let live: LiveSocket;
  let reported: unknown[];

  beforeEach(async () => {
    server = await startServer();
    reported = [];
    // Angular's test ErrorHandler rethrows; the app's logs. This one records, so the test can see what was reported.
    const recorder: Pick<ErrorHandler, 'handleError'> = { handleError: (error: unknown) => reported.push(error) };
    TestBed.configureTestingModule({
      providers: [
        { provide: API_BASE_URL, useValue: server.url },
        { provide: ErrorHandler, useValue: recorder },
      ],
    });
    live = TestBed.inject(LiveSocket);
  });

  afterEach(async () => {
    live.disconnect();
    await server.io.close();
    server.http.close();
  });

  it('connects to /live with the token and hands typed events to every registered handler', async () => {
    const seen: KpiSnapshot[] = [];
    live.on('kpi.updated', (snapshot) => seen.push(snapshot));
    let connects = 0;
    live.onConnect(() => (connects += 1));

    live.connect('good-token');
    expect(live.status()).toBe('connecting');
    await until(() => live.status() === 'live');
    expect(server.tokens).toEqual(['good-token']);
    expect(connects).toBe(1);

    server.io.of('/live').emit('kpi.updated', kpi);
    await until(() => seen.length === 1);
    expect(seen[0]).toEqual(kpi);
  });

  it('keeps dispatching, and reports the error, when one handler throws', async () => {
    const seen: string[] = [];
    live.on('alert.raised', () => {
      throw new Error('handler bug');
    });
    live.on('alert.raised', (alert) => seen.push(alert.alertId));
    live.connect('good-token');
    await until(() => live.status() === 'live');
    const alert = { alertId: 'al-1', rule: 'r', severity: 'high', subjectType: 'terminal', subjectId: 't', message: 'm', status: 'open', raisedAt: kpi.at } as const;
    server.io.of('/live').emit('alert.raised', alert);
    server.io.of('/live').emit('alert.raised', { ...alert, alertId: 'al-2' });
    await until(() => seen.length === 2);
    expect(seen).toEqual(['al-1', 'al-2']);
    expect(reported).toHaveLength(2);
    expect(live.status()).toBe('live');
  });

  it('stops delivering to a handler once it is removed', async () => {
    const seen: string[] = [];
    const remove = live.on('kpi.updated', (snapshot) => seen.push(snapshot.at));
    live.connect('good-token');
    await until(() => live.status() === 'live');
    remove();
    server.io.of('/live').emit('kpi.updated', kpi);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(seen).toEqual([]);
  });

  it('reports a refused handshake and does not retry it on its own', async () => {
    live.connect('stolen-token');
    await until(() => live.status() === 'refused');
    expect(live.lastError()).toBe('unauthorized');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(server.tokens).toEqual(['stolen-token']);
  });

  it('goes offline on disconnect and reconnects with a new token', async () => {
    live.connect('stolen-token');
    await until(() => live.status() === 'refused');
    live.disconnect();
    expect(live.status()).toBe('offline');
    live.connect('good-token');
    await until(() => live.status() === 'live');
  });
});
