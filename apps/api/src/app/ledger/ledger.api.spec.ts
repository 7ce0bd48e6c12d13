import { randomUUID } from 'node:crypto';
import { startTestApi, type TestApi } from '../../testing/test-api';

describe.each(['sqlite', 'postgres'] as const)('ledger over HTTP (read models on %s)', (readModels) => {
  let api: TestApi;
  let admin: string;
  let analyst: string;
  const external = randomUUID();
  const wallet = randomUUID();
  const merchant = randomUUID();

  const call = async (token: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(api.base + path, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  };
  const open = (accountId: string, kind: string) => call(admin, 'POST', '/v1/ledger/accounts', { accountId, kind, currency: 'EUR', ledger: 1, code: 1 });
  const transfer = (debitAccountId: string, creditAccountId: string, amountMinor: string, extra: Record<string, unknown> = {}) => ({
    id: randomUUID(),
    debitAccountId,
    creditAccountId,
    amountMinor,
    currency: 'EUR',
    ledger: 1,
    code: 10,
    kind: 'single',
    ...extra,
  });

  beforeAll(async () => {
    api = await startTestApi({ readModels });
    admin = await api.login('admin');
    analyst = await api.login('analyst');
    for (const [id, kind] of [[external, 'external'], [wallet, 'customer_wallet'], [merchant, 'merchant']]) {
      expect((await open(id, kind)).status).toBe(200);
    }
    const topUp = await call(admin, 'POST', '/v1/ledger/transfers', { transfers: [transfer(external, wallet, '10000')] });
    expect(topUp.status).toBe(200);
  });

  afterAll(async () => api.close());

  it('authorizes, captures part and releases the rest, and the read model shows it', async () => {
    const pending = transfer(wallet, merchant, '2500', { kind: 'pending', timeoutSeconds: 60 });
    expect((await call(admin, 'POST', '/v1/ledger/transfers', { transfers: [pending] })).status).toBe(200);
    const posted = await call(admin, 'POST', `/v1/ledger/transfers/${pending.id}/post`, { id: randomUUID(), amountMinor: '2000' });
    expect(posted.status).toBe(200);
    await api.settle();
    const view = await call(analyst, 'GET', `/v1/ledger/accounts/${wallet}`);
    expect(view.body).toMatchObject({ creditsPostedMinor: '10000', debitsPostedMinor: '2000', debitsPendingMinor: '0', availableMinor: '8000' });
  });

  it('returns the original result for a replay and refuses a changed replay, appending nothing', async () => {
    const payment = transfer(wallet, merchant, '100');
    const first = await call(admin, 'POST', '/v1/ledger/transfers', { transfers: [payment] });
    const again = await call(admin, 'POST', '/v1/ledger/transfers', { transfers: [payment] });
    expect(again.body).toMatchObject({ replayed: true, transfers: first.body.transfers });
    const head = await api.store.headPosition();
    const changed = await call(admin, 'POST', '/v1/ledger/transfers', { transfers: [{ ...payment, amountMinor: '101' }] });
    expect(changed).toMatchObject({ status: 409, body: { code: 'transfer_id_reused' } });
    expect(await api.store.headPosition()).toBe(head);
  });

  it.each([
    ['an unknown account', () => transfer(randomUUID(), merchant, '1'), 'account_not_found'],
    ['a zero amount', () => transfer(wallet, merchant, '0'), 'invalid_amount'],
    ['a negative amount', () => transfer(wallet, merchant, '-5'), 'invalid_request'],
    ['a currency mismatch', () => ({ ...transfer(wallet, merchant, '1'), currency: 'USD' }), 'currency_mismatch'],
    ['a malformed id', () => ({ ...transfer(wallet, merchant, '1'), id: 'not-a-uuid' }), 'invalid_request'],
  ])('refuses %s with a typed error and appends nothing', async (_name, make, code) => {
    const head = await api.store.headPosition();
    const response = await call(admin, 'POST', '/v1/ledger/transfers', { transfers: [make()] });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(response.body.code).toBe(code);
    expect(await api.store.headPosition()).toBe(head);
  });

  it('declines more than the wallet holds and moves no money', async () => {
    await api.settle();
    const before = await call(analyst, 'GET', `/v1/ledger/accounts/${wallet}`);
    const walletStream = await api.store.readStream(`ledger_account-${wallet}`);
    const response = await call(admin, 'POST', '/v1/ledger/transfers', { transfers: [transfer(wallet, merchant, '999999999')] });
    expect(response).toMatchObject({ status: 409, body: { code: 'exceeds_credits' } });
    expect(await api.store.readStream(`ledger_account-${wallet}`)).toHaveLength(walletStream.length);
    await api.settle();
    expect((await call(analyst, 'GET', `/v1/ledger/accounts/${wallet}`)).body).toEqual(before.body);
  });

  it('lets only admins move money', async () => {
    const response = await call(analyst, 'POST', '/v1/ledger/transfers', { transfers: [transfer(wallet, merchant, '1')] });
    expect(response).toMatchObject({ status: 403, body: { code: 'forbidden' } });
  });
});

describe('Idempotency-Key on mutating routes', () => {
  let api: TestApi;
  let admin: string;

  beforeAll(async () => {
    api = await startTestApi();
    admin = await api.login('admin');
  });

  afterAll(async () => api.close());

  const open = (key: string | undefined, accountId: string) =>
    fetch(`${api.base}/v1/ledger/accounts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
      body: JSON.stringify({ accountId, kind: 'merchant', currency: 'EUR', ledger: 1, code: 1 }),
    }).then(async (r) => ({ status: r.status, body: await r.json() }));

  it('requires one', async () => {
    expect(await open(undefined, randomUUID())).toMatchObject({ status: 400, body: { code: 'idempotency_key_required' } });
  });

  it('answers 100 concurrent retries of one key with the first answer, and the work happens once', async () => {
    const key = randomUUID();
    const accountId = randomUUID();
    const answers = await Promise.all(Array.from({ length: 100 }, () => open(key, accountId)));
    expect(answers.every((a) => a.status === 200 && a.body.accountId === accountId)).toBe(true);
    expect(await api.store.readStream(`ledger_account-${accountId}`)).toHaveLength(1);
  });

  it('refuses the same key for a different request', async () => {
    const key = randomUUID();
    await open(key, randomUUID());
    expect(await open(key, randomUUID())).toMatchObject({ status: 409, body: { code: 'idempotency_key_reused' } });
  });
});
