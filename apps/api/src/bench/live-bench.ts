/* eslint-disable no-console */
// Live channel benchmark (`npx nx run api:bench-live`, options --rate=500 --seconds=20 --clients=50
// --readModels=sqlite|postgres): append → visible in a connected dashboard client, p50/p95/p99, at a fixed payment
// rate with N authenticated socket.io clients on /live.
//
// The api is the real one (startTestApi: real SQLite event store, real read models, real projections, the real
// PaymentsLivePublisher and LiveGateway), in this process. Payments are appended straight to the store as the checkout
// service appends them (six appends per payment, the same events), so the measured path is exactly append → payments
// projection commit → read back → socket.io broadcast → client; the checkout decisions themselves are not timed.
// The clients are socket.io-client instances in a worker thread of this process (their own event loop, the same 2
// cores): a browser would add its own parsing and rendering on top.
import { LIVE_NAMESPACE, type PaymentFeedItem } from '@smilepay/shared/contracts';
import type { EventMetadata, EventStore, NewEvent } from '@smilepay/shared/eventstore';
import { randomUUID } from 'node:crypto';
import { cpus, loadavg, totalmem } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { io, type Socket } from 'socket.io-client';

interface Args {
  rate: number;
  seconds: number;
  clients: number;
  readModels: 'sqlite' | 'postgres';
}

/** Most payments being appended at once by the load generator. */
const MAX_IN_FLIGHT = 1_000;

/** Wall-clock milliseconds with sub-millisecond resolution, comparable across threads. */
const nowMs = () => performance.timeOrigin + performance.now();

function parseArgs(argv: string[]): Args {
  const value = (name: string, fallback: string) => {
    const hit = argv.find((a) => a.startsWith(`--${name}=`));
    return hit === undefined || hit.endsWith('=') || hit.includes('{args.') ? fallback : hit.slice(name.length + 3);
  };
  const readModels = value('readModels', 'sqlite');
  if (readModels !== 'sqlite' && readModels !== 'postgres') throw new Error('--readModels is sqlite or postgres');
  return {
    rate: Number(value('rate', '500')),
    seconds: Number(value('seconds', '20')),
    clients: Number(value('clients', '50')),
    readModels,
  };
}

// ---- client side (worker thread) ----

interface ClientsReady { kind: 'ready' }
/** Arrival times of `captured` pushes, [paymentId, atMs] per client and payment, reported in bulk. */
interface Seen { kind: 'seen'; entries: [string, number][] }
type FromClients = ClientsReady | Seen | { kind: 'error'; message: string };

/** Connects N dashboards and reports, per payment, each client's arrival time of its `captured` push. */
function runClients(): void {
  const { base, token, clients } = workerData as { base: string; token: string; clients: number };
  const port = parentPort;
  if (port === null) return;
  const sockets: Socket[] = [];
  let connected = 0;
  for (let i = 0; i < clients; i++) {
    const socket = io(base + LIVE_NAMESPACE, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
    sockets.push(socket);
    socket.on('connect', () => {
      if (++connected === clients) port.postMessage({ kind: 'ready' } satisfies FromClients);
    });
    socket.on('connect_error', (error: Error) => port.postMessage({ kind: 'error', message: error.message } satisfies FromClients));
    socket.on('payments.updated', (items: PaymentFeedItem[]) => {
      const atMs = nowMs();
      for (const item of items) if (item.status === 'captured') seen.push([item.paymentId, atMs]);
    });
  }
  // Arrival times are taken on receipt and sent to the main thread five times a second, so the measuring costs the
  // server's event loop a handful of messages a second instead of one per client per payment.
  let seen: [string, number][] = [];
  const report = () => {
    if (seen.length > 0) port.postMessage({ kind: 'seen', entries: seen } satisfies FromClients);
    seen = [];
  };
  const reporter = setInterval(report, 200);
  port.on('message', (message: string) => {
    if (message === 'close') {
      clearInterval(reporter);
      report();
      for (const socket of sockets) socket.close();
      port.close();
    }
  });
}

// ---- server side ----

const metadata: EventMetadata = { correlationId: 'bench', causationId: 'bench', actor: 'terminal:bench', schemaVersion: 1 };
const MERCHANT_ACCOUNT = randomUUID();

/** The appends CheckoutService makes for one captured face payment, in order. */
function paymentAppends(checkoutId: string, terminalId: string, customerId: string): NewEvent[][] {
  const at = new Date().toISOString();
  const expiresAt = new Date(Date.now() + 60_000).toISOString();
  const transferId = randomUUID();
  const e = (type: string, data: Record<string, unknown>): NewEvent => ({ type, data: { checkoutId, ...data }, metadata });
  return [
    [e('CheckoutStarted', { merchantId: 'mer_bench', merchantAccountId: MERCHANT_ACCOUNT, terminalId, terminalSessionId: checkoutId, amountMinor: '1250', currency: 'EUR', idempotencyKey: checkoutId, method: 'face', startedAt: at })],
    [e('LivenessVerdictRecorded', { verdict: 'live', score: 0.97, recordedAt: at }), e('PhoneFactorRequested', { digits: 4, reason: 'regular_check', requestedAt: at })],
    [e('PhoneFactorProvided', { digits: 4, candidateCustomerIds: [customerId], providedAt: at })],
    [
      e('FaceMatchRecorded', { candidateCustomerIds: [customerId], matchedCustomerIds: [customerId], bestScore: 0.82, threshold: 0.45, fmr: 0.000001, modelVersion: 'arcface-r100@1', recordedAt: at }),
      e('FaceCredentialIssued', { credentialId: randomUUID(), customerId, terminalId, terminalSessionId: checkoutId, factors: ['face', 'phone'], issuedAt: at, expiresAt }),
    ],
    [e('PaymentAuthorized', { credentialId: 'c', customerId, transferId, walletAccountId: randomUUID(), merchantAccountId: MERCHANT_ACCOUNT, amountMinor: '1250', currency: 'EUR', authorizedAt: at, expiresAt })],
    [e('PaymentCaptured', { transferId, amountMinor: '1250', capturedAt: at })],
  ];
}

/** Appends one payment, each append with its expected revision; resolves when its PaymentCaptured was durable. */
async function appendPayment(store: EventStore, index: number): Promise<{ paymentId: string; appendedAtMs: number }> {
  const paymentId = randomUUID();
  let last = -1n;
  for (const events of paymentAppends(paymentId, `ter_bench_${index % 20}`, `cus_bench_${index % 2_000}`)) {
    await store.append(`checkout-${paymentId}`, events, { expectedState: last < 0n ? 'no_stream' : last });
    last += BigInt(events.length);
  }
  return { paymentId, appendedAtMs: nowMs() };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  // Imported here so the worker thread never boots Nest.
  const { startTestApi } = await import('../testing/test-api');
  const api = await startTestApi({ readModels: args.readModels });
  const token = await api.login('analyst');
  const worker = new Worker(__filename, { workerData: { base: api.base, token, clients: args.clients } });
  const appendedAt = new Map<string, number>();
  const seen: [string, number][] = [];
  let ready!: () => void;
  const clientsReady = new Promise<void>((resolve) => (ready = resolve));
  worker.on('message', (message: FromClients) => {
    if (message.kind === 'ready') ready();
    else if (message.kind === 'error') console.error(`client: ${message.message}`);
    else seen.push(...message.entries);
  });
  await clientsReady;
  console.log(`${args.clients} clients connected to ${api.base}${LIVE_NAMESPACE}; ${args.rate} payments/s for ${args.seconds} s`);

  const load = loadavg();
  const total = args.rate * args.seconds;
  const startedMs = nowMs();
  const inFlight = new Set<Promise<void>>();
  let issued = 0;
  let appendErrors = 0;
  // Open-loop pacing: payment i is due at start + i / rate, whatever happened to the ones before it.
  while (issued < total) {
    const due = Math.min(total, Math.floor(((nowMs() - startedMs) / 1000) * args.rate) + 1);
    // Bounded: past MAX_IN_FLIGHT payments still appending, the generator waits (and the achieved rate says so).
    while (issued < due && inFlight.size < MAX_IN_FLIGHT) {
      const job = appendPayment(api.store, issued)
        .then(({ paymentId, appendedAtMs }) => void appendedAt.set(paymentId, appendedAtMs))
        .catch(() => void appendErrors++)
        .finally(() => inFlight.delete(job));
      inFlight.add(job);
      issued++;
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await Promise.all(inFlight);
  const appendSeconds = (nowMs() - startedMs) / 1000;
  // Let the last pushes arrive (bounded), then stop.
  const drainUntil = nowMs() + 15_000;
  while (nowMs() < drainUntil && seen.length < appendedAt.size * args.clients) await new Promise((r) => setTimeout(r, 100));
  const loadAfter = loadavg();
  worker.postMessage('close');
  await new Promise((resolve) => setTimeout(resolve, 300));
  await api.close();
  await worker.terminate();

  const latencies: number[] = [];
  const seenBy = new Map<string, number>();
  for (const [paymentId, atMs] of seen) {
    const appended = appendedAt.get(paymentId);
    if (appended === undefined) continue;
    latencies.push(atMs - appended);
    seenBy.set(paymentId, (seenBy.get(paymentId) ?? 0) + 1);
  }

  const sorted = [...latencies].sort((a, b) => a - b);
  const complete = [...seenBy.values()].filter((n) => n === args.clients).length;
  const rows = {
    payments: appendedAt.size,
    'achieved payments/s': (appendedAt.size / appendSeconds).toFixed(0),
    'append errors': appendErrors,
    'deliveries (payment × client)': `${latencies.length} of ${appendedAt.size * args.clients}`,
    'payments seen by every client': complete,
    'p50 ms': percentile(sorted, 50).toFixed(1),
    'p95 ms': percentile(sorted, 95).toFixed(1),
    'p99 ms': percentile(sorted, 99).toFixed(1),
    'max ms': (sorted[sorted.length - 1] ?? Number.NaN).toFixed(1),
  };
  console.log(`date ${new Date().toISOString()}; ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}`);
  console.log(`load average before ${load.map((l) => l.toFixed(2)).join(' ')}, after ${loadAfter.map((l) => l.toFixed(2)).join(' ')}; read models ${args.readModels}`);
  console.log('| measure | value |\n|---|---|');
  for (const [name, value] of Object.entries(rows)) console.log(`| ${name} | ${value} |`);
}

if (isMainThread) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
} else {
  runClients();
}
