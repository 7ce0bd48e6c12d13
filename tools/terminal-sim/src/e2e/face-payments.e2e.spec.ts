// End to end on the embedded store: the built api and the built gateway run as real processes; the simulator enrolls
// two customers from real photos through the gateway and pays at signed terminals. Depth, smile and attacks are
// SYNTHETIC (see docs/MODELS.md). Nothing of ours is stubbed.
import { defaultImageDir, FacePipeline, loadModels, allSpecies, buildPresentations, findCustomers, type Presentation } from '@smilepay/biometrics/infrastructure';
import { LedgerService } from '@smilepay/ledger/application';
import { openSqliteEventStore } from '@smilepay/shared/eventstore';
import { signatureHeaders, signRequest } from '@smilepay/shared/request-signing';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { enrollThroughGateway, onboard, pay, type DemoCustomer } from '../lib/demo';
import { checkoutHttpPaths, type CheckoutResult } from '@smilepay/checkout/contracts';
import { generateKeys, signedJsonPost } from '../lib/signing';
import { SmilepayApi } from '../lib/smilepay-api';
import { SimTerminal } from '../lib/terminal';
import { startBuilt, type RunningProcess } from '../lib/processes';
import { WireTap } from './wire-tap';

jest.setTimeout(300_000);

const internalToken = randomBytes(32).toString('base64url');
const options = { fps: 15, window: 2, timeoutMs: 60_000 };

describe('face payments through the real gateway and api processes', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'smilepay-e2e-'));
  const keys = generateKeys(2);
  let api: RunningProcess;
  let gateway: RunningProcess;
  let admin: SmilepayApi;
  let customers: DemoCustomer[];
  let presentations: Presentation[];
  let terminal: SimTerminal;
  let tap: WireTap;
  const presentation = (faceId: string, species: Presentation['species']) => presentations.find((p) => p.customerId === faceId && p.species === species) as Presentation;
  const paid: Record<string, string> = {};

  beforeAll(async () => {
    api = await startBuilt('dist/apps/api/main.js', 'api', {
      DATA_DIR: dataDir,
      BIOMETRIC_MASTER_KEY: randomBytes(32).toString('base64'),
      PIN_PEPPER: randomBytes(32).toString('base64'),
      INTERNAL_API_TOKEN: internalToken,
      INTERNAL_API_KEY_ID: 'gateway',
      // Debug level, so the redaction test below sees every log line the run can produce.
      LOG_LEVEL: 'debug',
    });
    // The gateway reaches the api through a pass-through that keeps the probe embeddings for the log check.
    tap = new WireTap(api.url);
    gateway = await startBuilt('dist/apps/terminal-gateway/main.js', 'terminal-gateway', {
      LOG_LEVEL: 'debug',
      TERMINAL_KEYS: JSON.stringify(keys),
      API_URL: await tap.start(),
      INTERNAL_API_TOKEN: internalToken,
      INTERNAL_API_KEY_ID: 'gateway',
      ANALYSIS_WORKERS: '2',
    });
    const models = await loadModels({ intraOpThreads: 1 });
    try {
      const faces = await findCustomers(new FacePipeline(models), defaultImageDir(), 2);
      expect(faces).toHaveLength(2);
      presentations = await buildPresentations(faces, allSpecies, 7);
    } finally {
      await models.release();
    }
    admin = await SmilepayApi.login(api.url, 'admin', 'admin');
    customers = await onboard(admin, keys, [...new Set(presentations.map((p) => p.customerId))], 'EUR', '100000');
    for (const customer of customers) {
      const enrolled = await enrollThroughGateway(gateway.url, keys[1], customer, presentation(customer.faceId, 'genuine'));
      expect(enrolled.outcome).toBe('enrolled');
    }
    terminal = await SimTerminal.connect(gateway.url, keys[0]);
  });

  afterAll(async () => {
    terminal?.close();
    await gateway?.stop();
    await api?.stop();
    await tap?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lets each enrolled customer pay with a smile and their phone', async () => {
    for (const [i, customer] of customers.entries()) {
      const amount = String(1_000 + i * 250);
      const record = await pay(terminal, { presentation: presentation(customer.faceId, 'genuine'), phone: customer.phone, label: 'genuine' }, randomUUID(), amount, options);
      expect({ outcome: record.outcome, code: record.code }).toEqual({ outcome: 'authorized', code: undefined });
      paid[customer.customerId] = record.checkoutId as string;
    }
  });

  it('declines an impostor who types the victim\'s phone number', async () => {
    const [victim, impostor] = customers;
    const record = await pay(terminal, { presentation: presentation(impostor.faceId, 'genuine'), phone: victim.phone, label: 'impostor' }, randomUUID(), '999', options);
    expect({ outcome: record.outcome, code: record.code, fallback: record.fallback }).toEqual({ outcome: 'declined', code: 'no_match', fallback: 'phone_pin' });
  });

  it('declines a print attack (synthetic planar depth) before any phone prompt', async () => {
    const [victim] = customers;
    const record = await pay(terminal, { presentation: presentation(victim.faceId, 'print'), phone: victim.phone, label: 'print' }, randomUUID(), '999', options);
    expect(record.outcome).toBe('liveness_failed');
  });

  it('declines every (synthetic) attack species through the real gateway and api, and moves no money', async () => {
    const [victim] = customers;
    const attacks = allSpecies.filter((s) => s !== 'genuine' && s !== 'print');
    const lines: string[] = [];
    for (const species of attacks) {
      const record = await pay(terminal, { presentation: presentation(victim.faceId, species), phone: victim.phone, label: species }, randomUUID(), '999', options);
      lines.push(`  ${species.padEnd(16)} → ${record.outcome}${record.code ? ` (${record.code})` : ''}`);
      expect({ species, outcome: record.outcome }).toEqual({ species, outcome: 'liveness_failed' });
    }
    console.log(`attack presentations (SYNTHETIC depth and smile over a real photo), one each:\n${lines.join('\n')}`);
  });

  it('declines a face credential presented a second time', async () => {
    const [customer] = customers;
    const checkoutId = paid[customer.customerId];
    const analyst = await SmilepayApi.login(api.url, 'analyst', 'analyst');
    const timeline = await analyst.get<{ type: string; data: { credentialId?: string } }[]>(`/v1/payments/${checkoutId}/timeline`);
    const credentialId = timeline.find((e) => e.type === 'FaceCredentialIssued')?.data.credentialId;
    expect(credentialId).toBeDefined();
    const path = `/internal/v1/checkouts/${checkoutId}/authorize`;
    const body = JSON.stringify({ credentialId, terminalId: keys[0].terminalId, terminalSessionId: checkoutId, transferId: randomUUID() });
    const signed = signatureHeaders({ keyId: 'x-internal-key-id', timestamp: 'x-internal-timestamp', nonce: 'x-internal-nonce', signature: 'x-internal-signature' }, signRequest('gateway', Buffer.from(internalToken), 'POST', path, body));
    const response = await fetch(api.url + path, { method: 'POST', headers: { ...signed, 'content-type': 'application/json' }, body });
    expect(await response.json()).toMatchObject({ outcome: 'declined', reason: 'credential_reused' });
  });

  it('shows balances in the read model that equal the ledger\'s own account streams', async () => {
    const store = openSqliteEventStore(join(dataDir, 'events.sqlite'));
    try {
      const ledger = new LedgerService(store);
      const analyst = await SmilepayApi.login(api.url, 'analyst', 'analyst');
      for (const [i, customer] of customers.entries()) {
        await new Promise((r) => setTimeout(r, 500));
        const readModel = await analyst.get<{ accountId: string; creditsPostedMinor: string; debitsPostedMinor: string; debitsPendingMinor: string }>(`/v1/customers/${customer.customerId}/balance`);
        const view = await ledger.getAccountView(readModel.accountId);
        expect(readModel).toMatchObject({
          creditsPostedMinor: view.balances?.creditsPosted.toString(),
          debitsPostedMinor: view.balances?.debitsPosted.toString(),
          debitsPendingMinor: view.balances?.debitsPending.toString(),
        });
        expect(readModel.debitsPostedMinor).toBe(String(1_000 + i * 250));
      }
    } finally {
      await store.close();
    }
  });

  it('offers phone + PIN instead of the face: pays on the right PIN (socket and HTTP), declines a wrong one, refuses a replayed request', async () => {
    const [customer] = customers;
    const analyst = await SmilepayApi.login(api.url, 'analyst', 'analyst');
    const debits = async () => {
      await new Promise((r) => setTimeout(r, 500));
      return BigInt((await analyst.get<{ debitsPostedMinor: string }>(`/v1/customers/${customer.customerId}/balance`)).debitsPostedMinor);
    };
    const before = await debits();
    const bySocket = await terminal.payWithPin(customer.phone, customer.pin, randomUUID(), '321', 30_000);
    expect(bySocket).toMatchObject({ outcome: 'authorized', liveness: null });
    const wrong = await terminal.payWithPin(customer.phone, '000000', randomUUID(), '321', 30_000);
    expect(wrong).toMatchObject({ outcome: 'declined', code: 'pin_mismatch' });
    const request = signedJsonPost(keys[0], checkoutHttpPaths.pinCheckouts, {
      session: { merchantId: keys[0].merchantId, terminalId: keys[0].terminalId, amountMinor: '79', currency: 'EUR', idempotencyKey: randomUUID() },
      phoneNumber: customer.phone,
      pin: customer.pin,
    });
    const overHttp = await fetch(gateway.url + checkoutHttpPaths.pinCheckouts, request);
    expect(overHttp.status).toBe(200);
    expect((await overHttp.json()) as CheckoutResult).toMatchObject({ outcome: 'authorized' });
    const replayed = await fetch(gateway.url + checkoutHttpPaths.pinCheckouts, request);
    expect({ status: replayed.status, body: await replayed.json() }).toMatchObject({ status: 401, body: { code: 'auth_replayed_nonce' } });
    expect((await debits()) - before).toBe(400n);
  });

  // Runs last, over the whole run's output: enrolment, payments, an impostor, a spoof and a replayed credential.
  it('leaves no phone number and no embedding in either process\'s logs', async () => {
    await new Promise((r) => setTimeout(r, 500));
    const embeddings = tap.embeddings();
    expect(embeddings.length).toBeGreaterThanOrEqual(customers.length * 2);
    for (const [name, process] of [['api', api], ['terminal-gateway', gateway]] as const) {
      const logs = process.output();
      expect(process.outputTruncated()).toBe(false);
      // Not vacuous: both processes wrote JSON lines, request logs included.
      expect(logs).toContain(`"service":"${name}"`);
      expect(logs).toMatch(/"req":\{"id":/);
      for (const customer of customers) {
        expect({ name, found: logs.includes(customer.phone) }).toEqual({ name, found: false });
        expect({ name, found: logs.includes(customer.phone.replace('+', '')) }).toEqual({ name, found: false });
        expect({ name, found: logs.includes(customer.phone.slice(-11)) }).toEqual({ name, found: false });
      }
      for (const data of embeddings) {
        const vector = new Float32Array(Uint8Array.from(Buffer.from(data, 'base64')).buffer);
        const fragments = [data.slice(0, 24), data.slice(1000, 1024), ...Array.from(vector.slice(0, 3), (x) => String(x))];
        for (const fragment of fragments) expect({ name, fragment, found: logs.includes(fragment) }).toEqual({ name, fragment, found: false });
      }
    }
  });
});
