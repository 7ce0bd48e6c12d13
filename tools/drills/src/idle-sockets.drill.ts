import { readFileSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { io, type Socket as ClientSocket } from 'socket.io-client';
import { DrillReport, drillEnvironment } from './drill-env';
import { ApiProcess, freePort, sleep } from './processes';
import { seededRandom, TerminalDriver } from './terminal-driver';

/** Resident memory of a process, from the kernel, in MiB. */
function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:')) ?? 'VmRSS: 0 kB';
  return Math.round(Number(line.replace(/\D+/g, '')) / 1024);
}

/** A slowloris client: opens TCP, sends part of a request line and a header byte now and then, never finishes. */
function slowClient(port: number): Socket {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  socket.write('GET /v1/payments HTTP/1.1\r\nHost: x\r\n');
  const drip = setInterval(() => socket.writable && socket.write('X'), 5_000);
  socket.on('close', () => clearInterval(drip));
  return socket;
}

function dashboard(url: string, token: string | undefined, connectNamespace = true): Promise<ClientSocket> {
  return new Promise((resolve, reject) => {
    const socket = io(`${url}/live`, { transports: ['websocket'], auth: token === undefined ? {} : { token }, reconnection: false, forceNew: true, autoConnect: connectNamespace });
    if (!connectNamespace) {
      // Engine.io level only: the transport is open but the namespace handshake never comes (a stalled client).
      socket.io.engine?.on('open', () => resolve(socket));
      socket.io.open((error) => (error ? reject(error) : resolve(socket)));
      return;
    }
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

/**
 * Section 4, last drill: 1,000 idle or slow sockets against the built api (half slowloris HTTP clients, a quarter of
 * transports that never join the namespace, a quarter of authenticated dashboards that never read), then a genuine
 * dashboard must still connect and get a live push, and a genuine payment must still be approved, while the api's
 * resident memory stays within a bound.
 */
export async function idleSockets(options: { sockets: number; seed: number; maxGrowthMiB: number }): Promise<DrillReport> {
  const report = new DrillReport('idle and slow sockets');
  const { dataDir, internalToken, env } = drillEnvironment();
  const api = new ApiProcess('api', await freePort(), { ...env, AUDIT_SEALER: 'off' });
  const opened: { close(): void }[] = [];
  try {
    await api.start();
    const driver = new TerminalDriver({ baseUrl: () => api.url, internalToken, random: seededRandom(options.seed) });
    const [customer] = await driver.setUp(1, () => 100_000n);
    const token = (await driver.send('POST', '/v1/auth/login', { username: 'analyst', password: 'analyst' }, 'public')).body.token as string;
    const pid = api.pid as number;
    await sleep(1_000);
    const before = rssMiB(pid);
    const slow = Math.floor(options.sockets / 2);
    const stalled = Math.floor(options.sockets / 4);
    const idle = options.sockets - slow - stalled;
    for (let i = 0; i < slow; i++) opened.push({ close: ((s) => () => s.destroy())(slowClient(api.port)) });
    for (let i = 0; i < stalled; i++) opened.push(await dashboard(api.url, token, false));
    for (let i = 0; i < idle; i++) opened.push(await dashboard(api.url, token));
    await sleep(2_000);
    const during = rssMiB(pid);
    report.figure(`${slow} slowloris HTTP clients, ${stalled} transports that never join /live, ${idle} idle dashboards; api RSS ${before} MiB -> ${during} MiB`);
    report.expect(during - before <= options.maxGrowthMiB, `the api grew by ${during - before} MiB, more than ${options.maxGrowthMiB} MiB`);

    const started = Date.now();
    const genuine = await dashboard(api.url, token);
    const pushed = new Promise<string>((resolve) => genuine.once('payments.updated', (items: { paymentId: string }[]) => resolve(items[0]?.paymentId ?? 'payment')));
    const payment = await driver.pay(customer, 1_234n, 'genuine');
    const push = await Promise.race([pushed, sleep(10_000).then(() => undefined)]);
    genuine.close();
    report.figure(`genuine dashboard connected and genuine payment ${payment.seen} in ${Date.now() - started} ms; live push ${push === undefined ? 'missing' : 'received'}`);
    report.expect(payment.seen === 'approved', `the genuine payment was ${payment.seen}`);
    report.expect(push !== undefined, 'the genuine dashboard got no live push for the payment');
    report.expect(api.running, 'the api died');
  } finally {
    for (const socket of opened) socket.close();
    await api.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return report;
}
