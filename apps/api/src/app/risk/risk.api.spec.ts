import { randomUUID } from 'node:crypto';
import { LIVE_NAMESPACE, type RiskAlertView } from '@smilepay/shared/contracts';
import { io, type Socket } from 'socket.io-client';
import { startTestApi, type TestApi } from '../../testing/test-api';
import { ApiDriver, type ApiCustomer } from '../claims/testing/api-driver';

const RULES = {
  customerVelocity: { payments: 2, windowSeconds: 600 },
  spoofBurst: { spoofs: 2, windowSeconds: 600 },
  newTerminalAmount: { minorByCurrency: { EUR: '100000' } },
};

describe.each(['sqlite', 'postgres'] as const)('risk alerts over HTTP (read models on %s)', (readModels) => {
  let api: TestApi;
  let driver: ApiDriver;
  let analyst: string;
  let auditor: string;
  let carol: ApiCustomer;
  const sockets: Socket[] = [];

  const alerts = async (query = ''): Promise<RiskAlertView[]> => {
    await driver.settle();
    const response = await driver.call(auditor, 'GET', `/v1/alerts${query}`);
    expect(response.status).toBe(200);
    return response.body;
  };
  const act = (token: string, alertId: string, action: string, key: string | null = randomUUID(), body: unknown = {}) =>
    driver.call(token, 'POST', `/v1/alerts/${alertId}/${action}`, body, key ?? undefined);

  beforeAll(async () => {
    api = await startTestApi({ readModels, env: { RISK_RULES: JSON.stringify(RULES) } });
    driver = await ApiDriver.open(api);
    analyst = await api.login('analyst');
    auditor = await api.login('auditor');
    await driver.registerTerminal('till-attacked');
    await driver.registerTerminal('till-busy');
    carol = await driver.enrolledCustomer('+8613800000003', 0.33);
  }, 60_000);

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await api.close();
  });

  it('raises a spoof-burst alert for the terminal when the burst reaches the threshold, and pushes it live', async () => {
    const socket = io(api.base + LIVE_NAMESPACE, { auth: { token: auditor }, transports: ['websocket'], reconnection: false, forceNew: true });
    sockets.push(socket);
    await new Promise<void>((resolve) => socket.on('connect', () => resolve()));
    const pushed = new Promise<RiskAlertView>((resolve) => socket.on('alert.raised', (view: RiskAlertView) => view.subjectId === 'till-attacked' && resolve(view)));
    await driver.spoof('till-attacked');
    expect((await alerts()).filter((a) => a.subjectId === 'till-attacked')).toEqual([]);
    await driver.spoof('till-attacked');
    const raised = (await alerts()).filter((a) => a.subjectId === 'till-attacked');
    expect(raised).toEqual([
      { alertId: expect.any(String), rule: 'spoof_burst', severity: 'high', subjectType: 'terminal', subjectId: 'till-attacked', message: '2 spoof verdicts in 600 s at terminal till-attacked', status: 'open', raisedAt: expect.any(String) },
    ]);
    expect(await pushed).toEqual(raised[0]);
  });

  it('raises a velocity alert for a customer paying too often', async () => {
    for (const seed of [0.1, 0.2]) expect((await driver.pay('till-busy', carol, '300', seed)).decision).toBe('authorized');
    const forCarol = (await alerts()).filter((a) => a.subjectId === carol.id);
    expect(forCarol.map((a) => [a.rule, a.subjectType, a.status])).toEqual([['customer_velocity', 'customer', 'open']]);
  });

  it('lets analysts and admins act, auditors only read, and every action needs an Idempotency-Key', async () => {
    const [alert] = (await alerts()).filter((a) => a.subjectId === 'till-attacked');
    expect(await act(auditor, alert.alertId, 'acknowledge')).toMatchObject({ status: 403, body: { code: 'forbidden' } });
    expect(await act(auditor, alert.alertId, 'quarantine-terminal')).toMatchObject({ status: 403 });
    expect(await act(analyst, alert.alertId, 'acknowledge', null)).toMatchObject({ status: 400, body: { code: 'idempotency_key_required' } });
    expect(await act(analyst, alert.alertId, 'acknowledge', randomUUID(), { note: 'x' })).toMatchObject({ status: 400 });
    expect(await act(analyst, randomUUID(), 'acknowledge')).toMatchObject({ status: 404, body: { code: 'alert_not_found' } });
  });

  it('acknowledges once per key and quarantines the terminal an alert names', async () => {
    const [alert] = (await alerts()).filter((a) => a.subjectId === 'till-attacked');
    const key = randomUUID();
    const acknowledged = await act(analyst, alert.alertId, 'acknowledge', key);
    expect(acknowledged).toMatchObject({ status: 200, body: { alertId: alert.alertId, status: 'acknowledged' } });
    expect(await act(analyst, alert.alertId, 'acknowledge', key)).toEqual(acknowledged);
    expect(await act(analyst, alert.alertId, 'lock-customer')).toMatchObject({ status: 412, body: { code: 'alert_has_no_customer' } });
    expect(await act(driver.admin, alert.alertId, 'quarantine-terminal')).toMatchObject({ status: 200, body: { status: 'resolved' } });
    const quarantine = await api.store.readStream('risk_terminal-till-attacked');
    expect(quarantine.map((e) => [e.type, e.metadata.actor])).toEqual([['TerminalQuarantined', 'admin:admin']]);
    expect((await alerts('?status=open')).some((a) => a.alertId === alert.alertId)).toBe(false);
  });

  it('declines every checkout at the quarantined terminal terminal_quarantined, moving no money', async () => {
    const { paymentId } = await driver.pay('till-attacked', carol, '300', 0.4);
    const events = await api.store.readStream(`checkout-${paymentId}`);
    expect(events.map((e) => e.type)).toEqual(['CheckoutStarted', 'PaymentDeclined']);
    expect(events[1].data).toMatchObject({ reason: 'terminal_quarantined', fallback: null });
  });

  it('locks the customer an alert names', async () => {
    const [alert] = (await alerts()).filter((a) => a.subjectId === carol.id);
    expect(await act(analyst, alert.alertId, 'lock-customer')).toMatchObject({ status: 200, body: { status: 'resolved' } });
    const locked = await api.store.readStream(`risk_customer-${carol.id}`);
    expect(locked.map((e) => [e.type, (e.data as { alertId: string }).alertId])).toEqual([['CustomerRiskLocked', alert.alertId]]);
    expect(await act(analyst, alert.alertId, 'lock-customer')).toMatchObject({ status: 200, body: { status: 'resolved' } });
    expect(await api.store.readStream(`risk_customer-${carol.id}`)).toHaveLength(1);
  });

  it('declines the locked customer customer_locked at a healthy terminal, with no hold', async () => {
    const payment = await driver.pay('till-busy', carol, '300', 0.5);
    expect(payment).toMatchObject({ decision: 'declined', reason: 'customer_locked' });
    const events = await api.store.readStream(`checkout-${payment.paymentId}`);
    expect(events.some((e) => e.type === 'PaymentAuthorized')).toBe(false);
    expect(events.find((e) => e.type === 'PaymentDeclined')?.data).toMatchObject({ reason: 'customer_locked', customerId: carol.id });
  });
});
