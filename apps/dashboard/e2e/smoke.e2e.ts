/**
 * Browser smoke test of the dashboard against a running api that serves the built dashboard (issue 5, browser tests):
 * log in as analyst, see a payment appear in the live feed within 2 s, open its timeline, approve a claim and see the
 * reimbursement in the customer's balance, and check that an auditor can neither approve in the UI nor through the api.
 *
 *   npx nx e2e dashboard        (or: npx ts-node --project apps/dashboard/e2e/tsconfig.json apps/dashboard/e2e/smoke.e2e.ts)
 *
 * Environment:
 *   DASHBOARD_URL            where the api serves the dashboard (default http://127.0.0.1:3000)
 *   CHROMIUM_PATH            default /usr/bin/chromium (Debian's package; never `npx playwright install`)
 *   SCREENSHOT_DIR           default test-output/dashboard/e2e
 *   SMOKE_TRIGGER_PAYMENT    optional shell command that makes one simulated payment; the 2 s deadline runs from when it
 *                            is started. Without it the test waits for the next payment of the background simulator.
 *   SMOKE_CLAIM_ID           optional claim to approve; default: the first claim still awaiting a decision.
 * Exit code 0 when every step passed; each step prints one line.
 */
import { exec } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { type Browser, chromium, type Page } from 'playwright-core';

export interface SmokeOptions {
  baseUrl: string;
  chromiumPath: string;
  screenshotDir: string;
  /** Makes one payment happen; the feed deadline is measured from its start. */
  triggerPayment?: () => Promise<void>;
  claimId?: string;
  /** The requirement: a new payment is visible in the feed within 2 s. */
  feedDeadlineMs?: number;
  /** How long to wait for the background simulator when there is no trigger. */
  idleWaitMs?: number;
}

const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** '1,234.56 EUR' → 123456n: the displayed amount back in minor units, exactly (scale from the decimals shown). */
export function displayedToMinor(text: string): { minor: bigint; currency: string } {
  const match = /^(-?[\d,]+)(?:\.(\d+))? ([A-Z]{3})$/.exec(text.trim());
  if (!match) throw new Error(`not a displayed amount: "${text}"`);
  return { minor: BigInt(match[1].replace(/,/g, '') + (match[2] ?? '')), currency: match[3] };
}

async function step(name: string, run: () => Promise<void>): Promise<void> {
  const started = Date.now();
  try {
    await run();
    console.log(`ok   ${name} (${Date.now() - started} ms)`);
  } catch (error) {
    console.log(`FAIL ${name}: ${error instanceof Error ? error.message : String(error)}`);
    throw error;
  }
}

async function login(page: Page, baseUrl: string, user: 'analyst' | 'auditor' | 'admin'): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.fill('#username', user);
  await page.fill('#password', user);
  await page.click('button[type=submit]');
  await page.waitForURL('**/live', { timeout: 10_000 });
}

async function feedIds(page: Page): Promise<Set<string>> {
  const ids = await page.$$eval('tr[data-payment-id]', (rows) => rows.map((row) => row.getAttribute('data-payment-id') ?? ''));
  return new Set(ids);
}

/** Waits for a payment id that was not in the feed before; returns it and how long it took. */
async function newPayment(page: Page, before: Set<string>, timeoutMs: number): Promise<string> {
  const handle = await page.waitForFunction(
    (known: string[]) => {
      const rows = Array.from(document.querySelectorAll('tr[data-payment-id]'));
      const fresh = rows.map((row) => row.getAttribute('data-payment-id')).find((id) => id && !known.includes(id));
      return fresh ?? null;
    },
    [...before],
    { timeout: timeoutMs, polling: 'raf' },
  );
  return (await handle.jsonValue()) as string;
}

async function availableBalance(page: Page, baseUrl: string, customerId: string): Promise<bigint> {
  await page.goto(`${baseUrl}/customers/${encodeURIComponent(customerId)}`);
  const text = await page.textContent('[data-balance=available]', { timeout: 10_000 });
  return displayedToMinor(text ?? '').minor;
}

async function pickClaim(page: Page, baseUrl: string, wanted: string | undefined): Promise<string> {
  await page.goto(`${baseUrl}/claims`);
  await page.waitForSelector('tr[data-claim-id], .state-empty', { timeout: 10_000 });
  if (wanted) return wanted;
  const id = await page.$$eval('tr[data-claim-id]', (rows) =>
    rows
      .find((row) => ['filed', 'assigned'].includes(row.querySelector('sp-status-chip')?.getAttribute('data-status') ?? ''))
      ?.getAttribute('data-claim-id'),
  );
  if (!id) throw new Error('no claim awaiting a decision: seed one or set SMOKE_CLAIM_ID');
  return id;
}

async function approveAndCheckBalance(page: Page, options: SmokeOptions, shot: (name: string) => Promise<void>): Promise<void> {
  const { baseUrl } = options;
  const claimId = await pickClaim(page, baseUrl, options.claimId);
  await page.goto(`${baseUrl}/claims/${encodeURIComponent(claimId)}`);
  await page.waitForSelector(`section[data-claim-id="${claimId}"]`, { timeout: 10_000 });
  const customerId = (await page.textContent(`section[data-claim-id="${claimId}"] dd a`))?.trim() ?? '';
  const claimed = displayedToMinor((await page.textContent('.claimed-amount')) ?? '');
  const before = await availableBalance(page, baseUrl, customerId);

  await page.goto(`${baseUrl}/claims/${encodeURIComponent(claimId)}`);
  await page.waitForSelector('[data-action=assign], [data-action=approve]', { timeout: 10_000 });
  if (await page.$('[data-action=assign]')) {
    await page.click('[data-action=assign]');
    await page.waitForSelector('[data-action=approve]', { timeout: 10_000 });
  }
  await page.click('[data-action=approve]');
  await page.click('[data-action=confirm-approve]');
  await page.waitForSelector(`section[data-claim-id="${claimId}"] sp-status-chip[data-status=reimbursed]`, { timeout: 15_000 });
  await shot('claim-reimbursed');

  // The reimbursement is a ledger transfer projected into the read model: poll the balance for a few seconds.
  const deadline = Date.now() + 10_000;
  let after = await availableBalance(page, baseUrl, customerId);
  while (after - before !== claimed.minor && Date.now() < deadline) {
    await page.waitForTimeout(500);
    after = await availableBalance(page, baseUrl, customerId);
  }
  await shot('customer-balance');
  if (after - before !== claimed.minor) {
    throw new Error(`balance of ${customerId} moved by ${after - before} minor units, expected ${claimed.minor}`);
  }
}

async function auditorCannotApprove(page: Page, baseUrl: string, shot: (name: string) => Promise<void>): Promise<void> {
  await page.click('text=Sign out');
  await login(page, baseUrl, 'auditor');
  await page.goto(`${baseUrl}/claims`);
  const first = await page.waitForSelector('tr[data-claim-id]', { timeout: 10_000 });
  const claimId = (await first.getAttribute('data-claim-id')) ?? '';
  await page.goto(`${baseUrl}/claims/${encodeURIComponent(claimId)}`);
  await page.waitForSelector('text=Read-only', { timeout: 10_000 });
  for (const action of ['assign', 'approve', 'confirm-approve', 'reject']) {
    if (await page.$(`[data-action=${action}]`)) throw new Error(`the auditor sees the ${action} button`);
  }
  await shot('auditor-claim');
  // The api must refuse too, whatever the UI shows.
  const status = await page.evaluate(async (id) => {
    const session = JSON.parse(sessionStorage.getItem('smilepay.dashboard.session') ?? '{}') as { token?: string };
    const response = await fetch(`/v1/claims/${encodeURIComponent(id)}/approve`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${session.token}`, 'idempotency-key': crypto.randomUUID() },
      body: JSON.stringify({ amountMinor: '1' }),
    });
    return response.status;
  }, claimId);
  if (status !== 403) throw new Error(`the api answered ${status} to an auditor's approval, expected 403`);
}

export async function runSmoke(options: SmokeOptions): Promise<void> {
  const { baseUrl } = options;
  mkdirSync(options.screenshotDir, { recursive: true });
  const browser: Browser = await chromium.launch({ executablePath: options.chromiumPath, args: chromiumArgs });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const shot = (name: string) => page.screenshot({ path: join(options.screenshotDir, `${name}.png`) }).then(() => undefined);
    let paymentId = '';

    await step('log in as analyst', async () => {
      await login(page, baseUrl, 'analyst');
      await page.waitForSelector('.live-status[data-live=live]', { timeout: 10_000 });
      await shot('live');
    });

    await step('a new payment appears in the live feed', async () => {
      await page.waitForSelector('sp-payment-table, .state-empty', { timeout: 10_000 });
      const before = await feedIds(page);
      const deadlineMs = options.feedDeadlineMs ?? 2_000;
      if (options.triggerPayment) {
        // Measured from when the payment has been made, not from when the trigger started (models take time).
        const seen = newPayment(page, before, deadlineMs + 30_000).then((id) => ({ id, at: Date.now() }));
        await options.triggerPayment();
        const madeAt = Date.now();
        const { id, at } = await seen;
        paymentId = id;
        const elapsed = Math.max(0, at - madeAt);
        if (elapsed > deadlineMs) throw new Error(`payment ${paymentId} took ${elapsed} ms to appear (limit ${deadlineMs} ms)`);
      } else {
        paymentId = await newPayment(page, before, options.idleWaitMs ?? 30_000);
      }
      await shot('live-new-payment');
    });

    await step('open the payment timeline', async () => {
      await page.click(`tr[data-payment-id="${paymentId}"] a`);
      await page.waitForURL(`**/payments/${paymentId}`);
      await page.waitForSelector('.event', { timeout: 10_000 });
      await shot('payment-timeline');
    });

    await step('approve a claim and see the reimbursement in the balance', () => approveAndCheckBalance(page, options, shot));
    await step('an auditor cannot approve', () => auditorCannotApprove(page, baseUrl, shot));
  } finally {
    await browser.close();
  }
}

function main(): void {
  const trigger = process.env['SMOKE_TRIGGER_PAYMENT'];
  runSmoke({
    baseUrl: (process.env['DASHBOARD_URL'] ?? 'http://127.0.0.1:3000').replace(/\/+$/, ''),
    chromiumPath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    screenshotDir: resolve(process.env['SCREENSHOT_DIR'] ?? 'test-output/dashboard/e2e'),
    claimId: process.env['SMOKE_CLAIM_ID'],
    triggerPayment: trigger ? () => promisify(exec)(trigger, { timeout: 30_000 }).then(() => undefined) : undefined,
  }).then(
    () => console.log('dashboard smoke: all steps passed'),
    () => {
      process.exitCode = 1;
    },
  );
}

if (require.main === module) main();
