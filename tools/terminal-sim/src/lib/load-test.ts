import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import type { DemoCustomer } from './demo';
import type { Presentation } from '@smilepay/biometrics/infrastructure';
import { percentile as nearestRank } from './report';
import type { TerminalKey } from './signing';
import { SessionRecord, SimTerminal } from './terminal';

export interface LoadStepOptions {
  gatewayUrl: string;
  apiUrl: string;
  analystToken: string;
  keys: TerminalKey[];
  customers: DemoCustomer[];
  /** Genuine presentations by the customer's face id. */
  presentations: Map<string, Presentation>;
  dashboards: number;
  fps: number;
  stepSeconds: number;
  /** Offered payments per second, in order; the run stops after the first step that is not sustained. */
  rates: number[];
  p95TargetMs: number;
  onStep?: (step: LoadStep) => void;
}

export interface LoadStep {
  offeredPerS: number;
  /** Authorized payments per second of wall time. */
  achievedPerS: number;
  payments: number;
  authorized: number;
  failed: number;
  /** Arrivals that found every terminal busy: the system did not keep up with the offered rate. */
  missed: number;
  decisionP50Ms: number | null;
  decisionP95Ms: number | null;
  resultP95Ms: number | null;
  /** Payment updates received per dashboard client, on average (a `payments.updated` message carries several). */
  pushesPerDashboard: number;
  sustained: boolean;
}

/**
 * Open-loop load: payments arrive at the offered rate whatever the system does (a shop does not wait for the
 * previous customer's payment to clear at another till), each taken by an idle terminal; an arrival that finds
 * every terminal busy is counted as missed. Dashboards stay connected to the api's live channel throughout.
 * A step is sustained when nothing was missed or failed, at least 90% of the offered rate was authorized and the
 * p95 decision latency (last frame sent → the gateway's verdict) stayed under the target.
 */
export async function runLoadSteps(options: LoadStepOptions): Promise<LoadStep[]> {
  const terminals = await Promise.all(options.keys.map((key) => SimTerminal.connect(options.gatewayUrl, key)));
  const dashboards = await connectDashboards(options.apiUrl, options.analystToken, options.dashboards);
  const steps: LoadStep[] = [];
  try {
    for (const rate of options.rates) {
      const step = await runStep(rate, terminals, dashboards, options);
      steps.push(step);
      options.onStep?.(step);
      if (!step.sustained) break;
    }
  } finally {
    terminals.forEach((t) => t.close());
    dashboards.sockets.forEach((s) => s.disconnect());
  }
  return steps;
}

async function runStep(rate: number, terminals: SimTerminal[], dashboards: Dashboards, options: LoadStepOptions): Promise<LoadStep> {
  const idle = [...terminals];
  const running: Promise<void>[] = [];
  const records: SessionRecord[] = [];
  let missed = 0;
  let n = 0;
  const pushesBefore = dashboards.pushes();
  const startedMs = performance.now();
  const endMs = startedMs + options.stepSeconds * 1000;
  for (let arrivalMs = startedMs; arrivalMs < endMs; arrivalMs += 1000 / rate) {
    const waitMs = arrivalMs - performance.now();
    if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
    const terminal = idle.shift();
    if (!terminal) {
      missed++;
      continue;
    }
    const customer = options.customers[n++ % options.customers.length];
    const presentation = options.presentations.get(customer.faceId) as Presentation;
    const amount = String(100 + ((n * 37) % 900));
    running.push(
      terminal
        .present(presentation, `load-${randomUUID()}`, amount, { fps: options.fps, window: 2, phoneDigits: customer.phone.replace('+', ''), timeoutMs: 60_000 })
        .then((record) => void records.push(record))
        .catch(() => void records.push(failedRecord(presentation, terminal.key.terminalId)))
        .finally(() => idle.push(terminal)),
    );
  }
  await Promise.all(running);
  const seconds = (performance.now() - startedMs) / 1000;
  const authorized = records.filter((r) => r.outcome === 'authorized');
  const decisions = records.map((r) => r.decisionMs).filter((ms): ms is number => ms !== null);
  const results = records.map((r) => r.resultMs).filter((ms): ms is number => ms !== null && ms !== undefined);
  const decisionP95Ms = percentile(decisions, 0.95);
  const achievedPerS = authorized.length / seconds;
  const failed = records.length - authorized.length;
  return {
    offeredPerS: rate,
    achievedPerS,
    payments: records.length,
    authorized: authorized.length,
    failed,
    missed,
    decisionP50Ms: percentile(decisions, 0.5),
    decisionP95Ms,
    resultP95Ms: percentile(results, 0.95),
    pushesPerDashboard: dashboards.sockets.length === 0 ? 0 : (dashboards.pushes() - pushesBefore) / dashboards.sockets.length,
    sustained: missed === 0 && failed === 0 && achievedPerS >= 0.9 * rate && decisionP95Ms !== null && decisionP95Ms < options.p95TargetMs,
  };
}

interface Dashboards {
  sockets: Socket[];
  pushes(): number;
}

/** Analyst dashboards on the api's live channel, counting the payment pushes they receive. */
async function connectDashboards(apiUrl: string, token: string, count: number): Promise<Dashboards> {
  let pushes = 0;
  const sockets = await Promise.all(
    Array.from({ length: count }, async () => {
      const socket = io(`${apiUrl}/live`, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', (error: Error) => reject(new Error(`dashboard socket refused: ${error.message}`)));
      });
      socket.on('payments.updated', (items: unknown[]) => void (pushes += Array.isArray(items) ? items.length : 0));
      return socket;
    }),
  );
  return { sockets, pushes: () => pushes };
}

function percentile(values: readonly number[], fraction: number): number | null {
  return values.length === 0 ? null : nearestRank(values, fraction * 100);
}

function failedRecord(presentation: Presentation, terminalId: string): SessionRecord {
  return { species: presentation.species, customerId: presentation.customerId, terminalId, outcome: 'transport_error', framesSent: 0, framesOk: 0, frameCodes: {}, totalMs: 0, decisionMs: null };
}

export function formatLoadTable(steps: LoadStep[], targetMs: number): string {
  const ms = (v: number | null) => (v === null ? '—' : `${Math.round(v)} ms`);
  const header = `| offered payments/s | authorized/s | payments | failed | missed arrivals | decision p50 / p95 | last frame → result p95 | pushes per dashboard | sustained (p95 < ${targetMs} ms) |`;
  const rows = steps.map(
    (s) =>
      `| ${s.offeredPerS} | ${s.achievedPerS.toFixed(2)} | ${s.payments} | ${s.failed} | ${s.missed} | ${ms(s.decisionP50Ms)} / ${ms(s.decisionP95Ms)} | ${ms(s.resultP95Ms)} | ${s.pushesPerDashboard.toFixed(0)} | ${s.sustained ? 'yes' : 'no'} |`,
  );
  return [header, '|---|---|---|---|---|---|---|---|---|', ...rows].join('\n');
}
