import { signatureHeaders, signRequest } from '@smilepay/shared/request-signing';
import { randomUUID } from 'node:crypto';
import { sleep } from './processes';

const INTERNAL_HEADERS = { keyId: 'x-internal-key-id', timestamp: 'x-internal-timestamp', nonce: 'x-internal-nonce', signature: 'x-internal-signature' };
const CONSENT = { consentText: 'I agree that smilepay stores an encrypted template of my face to authorise payments.', consentTextVersion: 'v1', purpose: 'face payment', retentionTermDays: 1095 };
const digest = (seq: number) => ({ seq, rgbSha256: 'ab'.repeat(32), status: 'analyzed' });

export interface DrillCustomer {
  customerId: string;
  phone: string;
  face: Float32Array;
  fundingMinor: bigint;
}

export type PaymentKind = 'genuine' | 'impostor' | 'spoof';

/** What the terminal saw: the api's final answer after its retries, or `unknown` when it never got one. */
export interface PaymentRecord {
  checkoutId: string;
  customerId: string;
  kind: PaymentKind;
  amountMinor: bigint;
  seen: 'approved' | 'declined' | 'unknown';
  reason?: string;
  /** Requests that failed (connection refused, 5xx) and were retried with the same checkout id. */
  retries: number;
}

/** A small seeded PRNG (mulberry32): a failing drill can be replayed with the seed it printed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function unitVector(random: () => number, dimensions = 512): Float32Array {
  const v = new Float32Array(dimensions).map(() => random() - 0.5);
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  return v.map((x) => x / norm);
}

function noisy(random: () => number, v: Float32Array, amount: number): Float32Array {
  const noise = unitVector(random, v.length);
  const mixed = v.map((x, i) => x + amount * noise[i]);
  const norm = Math.sqrt(mixed.reduce((s, x) => s + x * x, 0));
  return mixed.map((x) => x / norm);
}

const wire = (v: Float32Array) => ({ encoding: 'float32le-base64', dimensions: v.length, data: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') });

export interface DriverOptions {
  /** Where to send requests now; a function so a drill can move the terminal to another instance. */
  baseUrl: () => string;
  internalToken: string;
  random: () => number;
  /** How long one request keeps being retried while the api is down (default 60 s). */
  retryForMs?: number;
}

/**
 * Plays the terminal gateway against the api's internal routes (signed like the gateway signs), plus the admin
 * onboarding routes. Every request that gets no answer (connection refused, reset) or a 5xx is retried with the same
 * ids, as a terminal does, until `retryForMs` has passed: the api must turn the retries into one payment.
 */
export class TerminalDriver {
  readonly merchantId = randomUUID();
  readonly terminalId = `drill-${randomUUID().slice(0, 8)}`;
  private adminToken = '';

  constructor(private readonly options: DriverOptions) {}

  async setUp(customers: number, fundingMinor: (i: number) => bigint): Promise<DrillCustomer[]> {
    this.adminToken = (await this.send('POST', '/v1/auth/login', { username: 'admin', password: 'admin' }, 'public')).body.token;
    await this.admin('/v1/merchants', { merchantId: this.merchantId, name: 'Drill Shop', currency: 'EUR' });
    await this.admin('/v1/terminals', { terminalId: this.terminalId, merchantId: this.merchantId });
    const created: DrillCustomer[] = [];
    for (let i = 0; i < customers; i++) {
      const customer = { customerId: randomUUID(), phone: `+86139${String(Math.floor(this.options.random() * 1e8)).padStart(8, '0')}`, face: unitVector(this.options.random), fundingMinor: fundingMinor(i) };
      await this.admin('/v1/customers', { customerId: customer.customerId, phone: customer.phone, currency: 'EUR', initialFundingMinor: String(customer.fundingMinor) });
      await this.admin(`/v1/customers/${customer.customerId}/consent`, CONSENT);
      created.push(customer);
    }
    for (const customer of created) await this.enroll(customer);
    return created;
  }

  /** Enrollment reads the consent through the read model, so it may take a few attempts right after onboarding. */
  private async enroll(customer: DrillCustomer): Promise<void> {
    const body = { templateRef: randomUUID(), embedding: wire(customer.face), quality: 0.9, modelVersion: 'fr_feature', livenessVerdict: 'live', livenessScores: { fused: 0.9 }, terminalId: 'enrollment-kiosk' };
    for (let attempt = 0; attempt < 50; attempt++) {
      const answer = await this.send('POST', `/internal/v1/enrollments/${customer.customerId}/face`, body, 'internal');
      if (answer.status === 200 && answer.body.outcome === 'enrolled') return;
      await sleep(100);
    }
    throw new Error(`could not enroll ${customer.customerId}`);
  }

  async pay(customer: DrillCustomer, amountMinor: bigint, kind: PaymentKind, impostorFace?: Float32Array): Promise<PaymentRecord> {
    const checkoutId = randomUUID();
    const record: PaymentRecord = { checkoutId, customerId: customer.customerId, kind, amountMinor, seen: 'unknown', retries: 0 };
    const context = { checkoutId, merchantId: this.merchantId, terminalId: this.terminalId, amountMinor: String(amountMinor), currency: 'EUR', terminalIdempotencyKey: randomUUID() };
    const live = kind !== 'spoof';
    const liveness = await this.retrying(record, `/internal/v1/checkouts/${checkoutId}/liveness`, {
      type: 'RecordLivenessVerdict', checkout: context, verdict: live ? 'live' : 'spoof', scores: { fused: live ? 0.95 : 0.05 }, attackSpecies: live ? null : 'print', reasons: [],
      frames: { received: 10, analyzed: 10, dropped: 0 }, frameDigests: [digest(0)], modelVersions: {}, decisionLatencyMs: 12, decidedAt: new Date().toISOString(),
    });
    if (liveness === undefined) return record;
    if (!liveness.accepted) return { ...record, seen: 'declined', reason: 'spoof' };
    const requested = liveness.phonePrompt.digitsRequested as number;
    const digits = requested === 11 ? customer.phone : customer.phone.slice(-requested);
    const face = kind === 'impostor' ? (impostorFace as Float32Array) : noisy(this.options.random, customer.face, 0.3);
    const probe = await this.retrying(record, `/internal/v1/checkouts/${checkoutId}/face-probe`, {
      type: 'SubmitFaceProbe', checkout: context, livenessVerdict: 'live', phoneDigits: digits, phoneDigitsKind: digits.startsWith('+') ? 'full_number' : 'last_digits',
      embedding: wire(face), quality: { score: 0.9, faceBox: { x: 0, y: 0, width: 100, height: 100 }, details: {} }, probeFrame: digest(3), frameDigests: [digest(3)], modelVersions: { embedding: 'fr_feature' }, submittedAt: new Date().toISOString(),
    });
    if (probe === undefined) return record;
    if (probe.decision === 'authorized') return { ...record, seen: 'approved' };
    return { ...record, seen: 'declined', reason: String(probe.reason ?? probe.decision) };
  }

  /** Sends until a non-5xx answer or the deadline; a 4xx is an answer too (and a bug in the drill: it throws). */
  private async retrying(record: PaymentRecord, path: string, body: unknown): Promise<any | undefined> {
    const deadline = Date.now() + (this.options.retryForMs ?? 60_000);
    for (;;) {
      const answer = await this.send('POST', path, body, 'internal').catch(() => undefined);
      if (answer !== undefined && answer.status < 500) {
        if (answer.status !== 200) throw new Error(`${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
        return answer.body;
      }
      record.retries++;
      if (Date.now() > deadline) return undefined;
      await sleep(100);
    }
  }

  private async admin(path: string, body: unknown): Promise<void> {
    const answer = await this.send('POST', path, body, 'admin');
    if (answer.status !== 200) throw new Error(`${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  }

  async send(method: string, path: string, body: unknown, as: 'public' | 'admin' | 'internal'): Promise<{ status: number; body: any }> {
    const text = JSON.stringify(body);
    const headers: Record<string, string> = { 'content-type': 'application/json', 'idempotency-key': randomUUID() };
    if (as === 'admin') headers['authorization'] = `Bearer ${this.adminToken}`;
    if (as === 'internal') Object.assign(headers, signatureHeaders(INTERNAL_HEADERS, signRequest('gateway', Buffer.from(this.options.internalToken), method, path, text)));
    const response = await fetch(this.options.baseUrl() + path, { method, headers, body: text, signal: AbortSignal.timeout(30_000) });
    return { status: response.status, body: await response.json().catch(() => ({})) };
  }
}
