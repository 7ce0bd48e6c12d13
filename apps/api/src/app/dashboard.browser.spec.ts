import { existsSync, mkdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { startTestApi, type TestApi } from '../testing/test-api';
import { CONSENT, unitVector, noisy, wire } from '../testing/face-vectors';

/**
 * The risk dashboard in a real browser against the real api (which serves the built dashboard): live feed, payment
 * timeline, claim approval with its reimbursement, and an auditor who can neither approve in the UI nor through the api.
 */
const REPO = resolve(__dirname, '../../../..');
const DASHBOARD_DIR = join(REPO, 'dist/apps/dashboard/browser');
const SHOTS = join(REPO, 'test-output/dashboard-browser');
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const digest = (seq: number) => ({ seq, rgbSha256: 'ab'.repeat(32), status: 'analyzed' });

describe('risk dashboard in Chromium', () => {
  let api: TestApi;
  let browser: Browser;
  let page: Page;
  let admin: string;
  const merchantId = randomUUID();
  const terminalId = 'till-1';
  const alice = { id: randomUUID(), phone: '+8613800000001', face: unitVector(0.11) };
  const amountMinor = '4321';
  const claimedMinor = 1500n;
  let paymentId = '';
  let claimId = '';
  let secondPaymentId = '';

  const call = async (token: string, method: 'GET' | 'POST', path: string, body?: unknown) => {
    const response = await fetch(api.base + path, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  };
  const shot = (target: Page, name: string) => target.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  const available = async () => BigInt((await call(admin, 'GET', `/v1/customers/${alice.id}/balance`)).body.availableMinor);

  async function login(target: Page, user: 'analyst' | 'auditor'): Promise<void> {
    await target.goto(`${api.base}/login`);
    await target.fill('#username', user);
    await target.fill('#password', user);
    await target.click('button[type=submit]');
    await target.waitForURL('**/live', { timeout: 10_000 });
  }

  /** One face payment through the gateway's internal routes: liveness, then the face probe with the phone digits. */
  async function pay(): Promise<string> {
    const checkoutId = randomUUID();
    const context = { checkoutId, merchantId, terminalId, amountMinor, currency: 'EUR', terminalIdempotencyKey: randomUUID() };
    const liveness = await api.internalPost(`/internal/v1/checkouts/${checkoutId}/liveness`, {
      type: 'RecordLivenessVerdict', checkout: context, verdict: 'live', scores: { fused: 0.95 }, attackSpecies: null, reasons: [],
      frames: { received: 10, analyzed: 10, dropped: 0 }, frameDigests: [digest(0)], modelVersions: {}, decisionLatencyMs: 12, decidedAt: new Date().toISOString(),
    });
    expect(liveness).toMatchObject({ status: 200, body: { accepted: true } });
    const requested = liveness.body.phonePrompt.digitsRequested;
    const digits = requested === 11 ? alice.phone : alice.phone.slice(-requested);
    const probe = await api.internalPost(`/internal/v1/checkouts/${checkoutId}/face-probe`, {
      type: 'SubmitFaceProbe', checkout: context, livenessVerdict: 'live', phoneDigits: digits, phoneDigitsKind: digits.startsWith('+') ? 'full_number' : 'last_digits',
      embedding: wire(noisy(alice.face, 0.3)), quality: { score: 0.9, faceBox: { x: 0, y: 0, width: 100, height: 100 }, details: {} }, probeFrame: digest(3), frameDigests: [digest(3)], modelVersions: { embedding: 'fr_feature' }, submittedAt: new Date().toISOString(),
    });
    expect(probe.body).toEqual(expect.objectContaining({ decision: 'authorized', paymentId: checkoutId }));
    return checkoutId;
  }

  beforeAll(async () => {
    if (!existsSync(join(DASHBOARD_DIR, 'index.html'))) throw new Error(`no dashboard build at ${DASHBOARD_DIR}: run \`npx nx build dashboard\` first`);
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: .ci/run installs it (\`apt-get install -y chromium\`)`);
    mkdirSync(SHOTS, { recursive: true });
    api = await startTestApi({ env: { DASHBOARD_DIR } });
    admin = await api.login('admin');
    expect((await call(admin, 'POST', '/v1/merchants', { merchantId, name: 'Corner Shop', currency: 'EUR' })).status).toBe(200);
    expect((await call(admin, 'POST', '/v1/terminals', { terminalId, merchantId })).status).toBe(200);
    expect((await call(admin, 'POST', '/v1/customers', { customerId: alice.id, phone: alice.phone, currency: 'EUR', initialFundingMinor: '10000' })).status).toBe(200);
    expect((await call(admin, 'POST', `/v1/customers/${alice.id}/consent`, CONSENT)).status).toBe(200);
    await api.settle();
    const enrolled = await api.internalPost(`/internal/v1/enrollments/${alice.id}/face`, {
      templateRef: randomUUID(), embedding: wire(alice.face), quality: 0.9, modelVersion: 'fr_feature', livenessVerdict: 'live', livenessScores: { fused: 0.9 }, terminalId: 'enrollment-kiosk',
    });
    expect(enrolled).toMatchObject({ status: 200, body: { outcome: 'enrolled' } });
    // Reimbursements are paid from the loss reserve: it must hold money before any approval.
    expect((await call(admin, 'POST', '/v1/loss-reserves', { currency: 'EUR', minimumMinor: '1000000' })).status).toBe(200);
    await api.settle();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  it('logs in as analyst and shows a new payment in the live feed within 2 s', async () => {
    await login(page, 'analyst');
    await page.waitForSelector('.live-status[data-live=live]', { timeout: 10_000 });
    await page.waitForSelector('sp-payment-table, .state-empty', { timeout: 10_000 });
    let madeAt = 0;
    const made = pay().then((id) => {
      madeAt = Date.now();
      return id;
    });
    paymentId = await made;
    await page.waitForSelector(`tr[data-payment-id="${paymentId}"]`, { timeout: 2_000 });
    expect(Date.now() - madeAt).toBeLessThanOrEqual(2_000);
    expect(await page.textContent(`tr[data-payment-id="${paymentId}"]`)).toContain('43.21');
    await shot(page, '1-live-feed');
  }, 30_000);

  it('opens the payment and shows PaymentCaptured in its timeline', async () => {
    await page.click(`tr[data-payment-id="${paymentId}"] a`);
    await page.waitForURL(`**/payments/${paymentId}`);
    await page.waitForSelector('.event-type:text-is("PaymentCaptured")', { timeout: 10_000 });
    await shot(page, '2-payment-timeline');
  }, 20_000);

  it('approves a claim in the browser and reimburses the customer by exactly the approved amount', async () => {
    // Paid now, claimed later for the auditor: once a loss claim is filed the customer's face no longer pays.
    secondPaymentId = await pay();
    const filed = await call(admin, 'POST', '/v1/claims', { customerId: alice.id, paymentIds: [paymentId], claimedMinor: claimedMinor.toString(), currency: 'EUR', reason: 'I did not make this payment' });
    expect(filed).toMatchObject({ status: 200, body: { status: 'filed' } });
    claimId = filed.body.claimId;
    await api.settle();
    const before = await available();

    await page.goto(`${api.base}/claims/${encodeURIComponent(claimId)}`);
    await page.click('[data-action=assign]', { timeout: 10_000 });
    await page.fill('#approve-amount', '15.00', { timeout: 10_000 });
    await page.click('[data-action=approve]');
    await page.click('[data-action=confirm-approve]');
    await page.waitForSelector(`section[data-claim-id="${claimId}"] sp-status-chip[data-status=reimbursed]`, { timeout: 10_000 });
    await shot(page, '3-claim-reimbursed');

    // The reimbursement is an asynchronous ledger transfer: poll the balance for up to 5 s.
    const deadline = Date.now() + 5_000;
    let after = await available();
    while (after - before !== claimedMinor && Date.now() < deadline) {
      await new Promise((done) => setTimeout(done, 200));
      after = await available();
    }
    expect(after - before).toBe(claimedMinor);
  }, 30_000);

  it('shows the auditor no Approve button and the api refuses the auditor\'s approval', async () => {
    // A still-undecided claim too: an analyst would see Assign/Approve on it, so their absence means the role hid them.
    const open = await call(admin, 'POST', '/v1/claims', { customerId: alice.id, paymentIds: [secondPaymentId], claimedMinor: '100', currency: 'EUR', reason: 'second look' });
    expect(open).toMatchObject({ status: 200, body: { status: 'filed' } });
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    try {
      const auditorPage = await context.newPage();
      await login(auditorPage, 'auditor');
      for (const [id, name] of [[claimId, '4-auditor-approved-claim'], [open.body.claimId as string, '5-auditor-open-claim']]) {
        await auditorPage.goto(`${api.base}/claims/${encodeURIComponent(id)}`);
        await auditorPage.waitForSelector(`section[data-claim-id="${id}"]`, { timeout: 10_000 });
        await auditorPage.waitForSelector('text=Read-only', { timeout: 10_000 });
        for (const action of ['assign', 'approve', 'confirm-approve']) expect(await auditorPage.$(`[data-action=${action}]`)).toBeNull();
        await shot(auditorPage, name);
      }
    } finally {
      await context.close();
    }
    const auditor = await api.login('auditor');
    expect((await call(auditor, 'POST', `/v1/claims/${encodeURIComponent(claimId)}/approve`, { amountMinor: '1' })).status).toBe(403);
  }, 30_000);
});
