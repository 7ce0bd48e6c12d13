import { checkoutHttpPaths, CheckoutHttpPending } from '@smilepay/checkout/contracts';
import { Harness, startGateway } from '../../testing/gateway-harness';
import { buildPresentation, Customer, EncodedFrame, loadCustomers } from '@smilepay/biometrics/infrastructure';
import { handshakeAuth, sessionStart, terminalFetch, TerminalConnection } from '../../testing/terminal-client';

const metricsToken = 'metrics-token-for-tests-0123456789';

/** The value of one series in a Prometheus text exposition (labels in any order), or 0 when the series is absent. */
function value(text: string, series: string): number {
  const parse = (s: string) => {
    const match = /^([a-z_:]+)(?:\{(.*)\})?/.exec(s) as RegExpExecArray;
    return { name: match[1], labels: new Set((match[2] ?? '').split(',').filter(Boolean)) };
  };
  const wanted = parse(series);
  const line = text.split('\n').find((l) => {
    if (l === '' || l.startsWith('#')) return false;
    const got = parse(l.slice(0, l.lastIndexOf(' ')));
    return got.name === wanted.name && got.labels.size === wanted.labels.size && [...wanted.labels].every((x) => got.labels.has(x));
  });
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

// Real traffic through the real gateway and models, then a scrape: the series exist and their values moved.
describe('GET /metrics', () => {
  let gateway: Harness;
  let customers: Customer[];
  let frames: EncodedFrame[];

  beforeAll(async () => {
    gateway = await startGateway({ METRICS_TOKEN: metricsToken });
    customers = await loadCustomers(1);
    frames = await buildPresentation(customers[0], 'genuine', 41);
  });
  afterAll(() => gateway.close());

  const scrape = async () => {
    const response = await fetch(`${gateway.url}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    return response.text();
  };

  const json = (session: object, presentation: EncodedFrame[]) =>
    JSON.stringify({ session, frames: presentation.map((f) => ({ seq: f.seq, capturedAtMs: f.capturedAtMs, rgbBase64: f.rgb.toString('base64'), ...(f.depth ? { depthBase64: f.depth.toString('base64') } : {}) })) });

  it('refuses a scrape without the configured token', async () => {
    expect((await fetch(`${gateway.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${gateway.url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
  });

  it('counts verdicts by species, results and decision latencies, and reads sockets and queues live', async () => {
    const before = await scrape();
    const [terminal, attacker] = gateway.terminals;
    const started = await terminalFetch(gateway.url, terminal, checkoutHttpPaths.sessions, json(sessionStart(terminal, 'metrics-genuine'), frames));
    expect(started.status).toBe(202);
    const done = await terminalFetch(gateway.url, terminal, checkoutHttpPaths.phoneDigits((started.body as CheckoutHttpPending).checkoutId), JSON.stringify({ digits: '9051' }));
    expect(done.body).toMatchObject({ outcome: 'authorized' });
    const print = await buildPresentation(customers[0], 'print', 42);
    const spoof = await terminalFetch(gateway.url, attacker, checkoutHttpPaths.sessions, json(sessionStart(attacker, 'metrics-print'), print));
    expect(spoof.body).toMatchObject({ result: { outcome: 'liveness_failed' } });
    const socket = await TerminalConnection.open(gateway.url, handshakeAuth(gateway.terminals[2]));
    try {
      const after = await scrape();
      const s = 'service="terminal-gateway"';
      expect(value(after, `smilepay_gateway_liveness_verdicts_total{verdict="live",species="none",${s}}`)).toBe(value(before, `smilepay_gateway_liveness_verdicts_total{verdict="live",species="none",${s}}`) + 1);
      expect(value(after, `smilepay_gateway_liveness_verdicts_total{verdict="spoof",species="print",${s}}`)).toBe(1);
      expect(value(after, `smilepay_gateway_checkout_results_total{outcome="authorized",code="none",${s}}`)).toBe(1);
      expect(value(after, `smilepay_gateway_checkout_results_total{outcome="liveness_failed",code="liveness_spoof",${s}}`)).toBe(1);
      expect(value(after, `smilepay_gateway_decision_latency_seconds_count{stage="liveness",outcome="live",${s}}`)).toBe(1);
      expect(value(after, `smilepay_gateway_decision_latency_seconds_count{stage="liveness",outcome="spoof",${s}}`)).toBe(1);
      expect(value(after, `smilepay_gateway_decision_latency_seconds_count{stage="payment",outcome="authorized",${s}}`)).toBe(1);
      expect(value(after, `smilepay_gateway_connected_sockets{${s}}`)).toBe(1);
      expect(value(after, `smilepay_gateway_active_sessions{${s}}`)).toBe(0);
      for (const queue of ['analysis_waiting', 'analysis_in_flight', 'analysis_thread_queue']) {
        expect(after).toMatch(new RegExp(`^smilepay_queue_depth\\{.*queue="${queue}".*\\} 0$`, 'm'));
      }
      expect(after).toMatch(/smilepay_process_cpu_seconds_total/);
    } finally {
      socket.socket.disconnect();
    }
  });
});
