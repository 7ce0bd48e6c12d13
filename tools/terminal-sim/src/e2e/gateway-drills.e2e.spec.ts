// Reliability drills (issue 7) at the built gateway (real analysis threads, real models) in front of the built api:
// 10,000 malformed frames, then 1,000 idle or slow connections, each followed by a genuine payment. The frames come
// from fast-check with a fixed seed, so a failure names a reproducible case. Genuine faces are real photos; their depth is SYNTHETIC (docs/MODELS.md).
import { defaultImageDir, FacePipeline, loadModels, buildPresentations, findCustomers, type Presentation } from '@smilepay/biometrics/infrastructure';
import { checkoutHttpPaths, type CheckoutHttpDone, type CheckoutHttpPending, type FrameAck } from '@smilepay/checkout/contracts';
import fc from 'fast-check';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { enrollThroughGateway, onboard, pay, type DemoCustomer } from '../lib/demo';
import { generateKeys, signedJsonPost } from '../lib/signing';
import { SmilepayApi } from '../lib/smilepay-api';
import { SimTerminal } from '../lib/terminal';
import { malformedFrame, type MalformedFrame } from './malformed-frames';
import { startBuilt, type RunningProcess } from '../lib/processes';

jest.setTimeout(900_000);

const FRAMES = 10_000;
const FRAMES_PER_BODY = 100;
const SEED = 20261125;
const CONCURRENT_BODIES = 4;
const internalToken = randomBytes(32).toString('base64url');

describe('drills at the gateway: malformed frames, idle and slow connections', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'smilepay-fuzz-'));
  const keys = generateKeys(2);
  let api: RunningProcess;
  let gateway: RunningProcess;
  let customer: DemoCustomer;
  let genuine: Presentation;

  beforeAll(async () => {
    api = await startBuilt('dist/apps/api/main.js', 'api', {
      DATA_DIR: dataDir,
      BIOMETRIC_MASTER_KEY: randomBytes(32).toString('base64'),
      PIN_PEPPER: randomBytes(32).toString('base64'),
      INTERNAL_API_TOKEN: internalToken,
      INTERNAL_API_KEY_ID: 'gateway',
    });
    gateway = await startBuilt('dist/apps/terminal-gateway/main.js', 'terminal-gateway', {
      TERMINAL_KEYS: JSON.stringify(keys),
      API_URL: api.url,
      INTERNAL_API_TOKEN: internalToken,
      INTERNAL_API_KEY_ID: 'gateway',
      ANALYSIS_WORKERS: '2',
      // Every malformed frame must reach the decoders: the per-session caps that would normally end a hostile
      // session early (and so hide later frames from the fuzzer) are raised; the byte and pixel limits are not.
      MAX_FRAMES_PER_SESSION: String(FRAMES_PER_BODY),
      MAX_BAD_FRAMES: String(FRAMES_PER_BODY),
      SESSION_DURATION_MS: '120000',
    });
    const models = await loadModels({ intraOpThreads: 1 });
    try {
      const faces = await findCustomers(new FacePipeline(models), defaultImageDir(), 1);
      [genuine] = await buildPresentations(faces, ['genuine'], 11);
    } finally {
      await models.release();
    }
    const admin = await SmilepayApi.login(api.url, 'admin', 'admin');
    [customer] = await onboard(admin, keys, [genuine.customerId], 'EUR', '100000');
    expect((await enrollThroughGateway(gateway.url, keys[1], customer, genuine)).outcome).toBe('enrolled');
  });

  afterAll(async () => {
    await gateway?.stop();
    await api?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers every frame with an error code, never crashes, and still serves a genuine payment', async () => {
    const good = genuine.frames[0];
    const frames = fc.sample(malformedFrame({ rgb: good.rgb, depth: good.depth as Buffer }), { numRuns: FRAMES, seed: SEED });
    const codes = new Map<string, number>();
    const statuses = new Map<number, number>();
    const count = <K>(map: Map<K, number>, key: K) => map.set(key, (map.get(key) ?? 0) + 1);
    const startedMs = performance.now();
    const rssBefore = gatewayRssMiB(gateway);
    const batches = Array.from({ length: FRAMES / FRAMES_PER_BODY }, (_, b) => b * FRAMES_PER_BODY);
    // A session analyses its frames one after another: several bodies at once keep both analysis threads busy.
    const answers = await mapConcurrently(batches, CONCURRENT_BODIES, async (i) => ({ i, ...(await postMalformed(gateway.url, keys[0], frames.slice(i, i + FRAMES_PER_BODY), i)) }));
    for (const { i, status, acks } of answers) {
      const batch = frames.slice(i, i + FRAMES_PER_BODY);
      count(statuses, status);
      expect(status === 200 || status === 202 || (status >= 400 && status < 500)).toBe(true);
      for (const [j, ack] of acks.entries()) {
        const kind = batch[j].kind;
        if (ack.ok) {
          // Only a frame whose bytes still decode to a face can pass: a corrupted JPEG whose damage missed the face.
          expect(kind).toBe('corrupted_jpeg');
          count(codes, `${kind}: analysed`);
        } else {
          expect(ack.code).toMatch(/^[a-z_]+$/);
          count(codes, `${kind}: ${ack.code}`);
        }
      }
    }
    const seconds = (performance.now() - startedMs) / 1000;
    const rssAfter = gatewayRssMiB(gateway);
    const table = [...codes.entries()].sort().map(([key, n]) => `  ${key.padEnd(48)} ${String(n).padStart(6)}`);
    console.log(
      [
        `frame fuzz: ${FRAMES} malformed frames (fast-check seed ${SEED}) in ${FRAMES / FRAMES_PER_BODY} signed HTTP bodies, ${CONCURRENT_BODIES} at a time, ${seconds.toFixed(1)} s (${Math.round(FRAMES / seconds)} frames/s)`,
        `HTTP statuses: ${[...statuses.entries()].map(([s, n]) => `${s} × ${n}`).join(', ')}`,
        `gateway RSS: ${rssBefore} MiB before, ${rssAfter} MiB after`,
        'kind: outcome                                     frames',
        ...table,
      ].join('\n'),
    );
    expect([...codes.values()].reduce((a, b) => a + b, 0)).toBe(FRAMES);
    expect((await fetch(`${gateway.url}/health/ready`)).status).toBe(200);
    expect(gateway.output()).not.toMatch(/uncaught|unhandled|FATAL|out of memory/i);

    // Another terminal: the fuzzing one may be locked by now, because a few corrupted JPEGs still showed a live face
    // and the wrong phone digits this drill then typed count as failed face attempts against that terminal.
    const terminal = await SimTerminal.connect(gateway.url, keys[1]);
    try {
      const record = await pay(terminal, { presentation: genuine, phone: customer.phone, label: 'genuine' }, randomUUID(), '1250', { fps: 15, window: 2, timeoutMs: 60_000 });
      expect({ outcome: record.outcome, code: record.code }).toEqual({ outcome: 'authorized', code: undefined });
    } finally {
      terminal.close();
    }
  });

  it('holds 1,000 idle or slow connections with bounded memory and still serves a genuine terminal', async () => {
    const rssBefore = gatewayRssMiB(gateway);
    const port = Number(new URL(gateway.url).port);
    // 500 slowloris clients: a request line and one header, then silence.
    const slow = await Promise.all(
      Array.from({ length: 500 }, () => new Promise<Socket>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => {
          socket.write('POST /v1/checkout-sessions HTTP/1.1\r\nHost: gateway\r\n');
          resolve(socket);
        });
        socket.on('error', reject);
      })),
    );
    // 500 signed terminal sockets that connect and never start a session.
    const idle = await Promise.all(Array.from({ length: 500 }, () => SimTerminal.connect(gateway.url, keys[0])));
    try {
      const rssLoaded = gatewayRssMiB(gateway);
      expect((await fetch(`${gateway.url}/health/ready`)).status).toBe(200);
      const terminal = await SimTerminal.connect(gateway.url, keys[1]);
      const record = await pay(terminal, { presentation: genuine, phone: customer.phone, label: 'genuine' }, randomUUID(), '800', { fps: 15, window: 2, timeoutMs: 60_000 });
      terminal.close();
      console.log(`idle/slow connections: 500 slowloris HTTP + 500 idle signed sockets; gateway RSS ${rssBefore} MiB before, ${rssLoaded} MiB with them open; genuine payment at another terminal: ${record.outcome} in ${Math.round(record.totalMs)} ms`);
      expect(record.outcome).toBe('authorized');
      if (rssBefore !== null && rssLoaded !== null) expect(rssLoaded - rssBefore).toBeLessThan(200);
    } finally {
      idle.forEach((t) => t.close());
      slow.forEach((s) => s.destroy());
    }
  });
});

/** One signed HTTP checkout carrying a batch of malformed frames; a live verdict (rare) is answered with wrong digits. */
async function postMalformed(gatewayUrl: string, key: ReturnType<typeof generateKeys>[number], batch: MalformedFrame[], offset: number): Promise<{ status: number; acks: FrameAck[] }> {
  const body = {
    session: { merchantId: key.merchantId, terminalId: key.terminalId, amountMinor: '100', currency: 'EUR', idempotencyKey: `fuzz-${offset}-${randomUUID()}` },
    frames: batch.map((f, seq) => ({ seq, capturedAtMs: seq * 66, rgbBase64: f.rgb.toString('base64'), ...(f.depth ? { depthBase64: f.depth.toString('base64') } : {}) })),
  };
  const response = await fetch(gatewayUrl + checkoutHttpPaths.sessions, signedJsonPost(key, checkoutHttpPaths.sessions, body));
  const reply = (await response.json()) as CheckoutHttpDone | CheckoutHttpPending | { code: string };
  if (response.status === 202) {
    const pending = reply as CheckoutHttpPending;
    const digits = '0'.repeat(pending.phoneRequest.digitsRequested);
    await fetch(gatewayUrl + checkoutHttpPaths.phoneDigits(pending.checkoutId), signedJsonPost(key, checkoutHttpPaths.phoneDigits(pending.checkoutId), { digits }));
  }
  return { status: response.status, acks: 'frames' in reply ? reply.frames : [] };
}

async function mapConcurrently<T, R>(items: T[], limit: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await run(items[index]);
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return results;
}

/** The gateway process's resident memory from /proc (Linux). */
function gatewayRssMiB(gateway: RunningProcess): number | null {
  if (gateway.pid === undefined) return null;
  try {
    const status = readFileSync(`/proc/${gateway.pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    return Number.isFinite(kb) ? Math.round(kb / 1024) : null;
  } catch {
    return null;
  }
}
