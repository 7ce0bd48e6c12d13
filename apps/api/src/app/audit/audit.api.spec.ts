import type { AuditStreamPage, AuditVerificationView } from '@smilepay/shared/contracts';
import { startTestApi, type TestApi } from '../../testing/test-api';

describe('the auditor api', () => {
  let api: TestApi;
  let auditor: string;
  const accountId = '1e2d3c4b-5a69-4788-9a0b-1c2d3e4f5a6b';

  beforeAll(async () => {
    api = await startTestApi({ env: { AUDIT_SEALER: 'on', AUDIT_SEAL_EVERY_SECONDS: '1' } });
    const admin = await api.login('admin');
    const opened = await fetch(`${api.base}/v1/ledger/accounts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json', 'idempotency-key': '7f3e2d1c-0b9a-4876-8543-210fedcba987' },
      body: JSON.stringify({ accountId, kind: 'merchant', currency: 'EUR', ledger: 1, code: 1 }),
    });
    expect(opened.status).toBe(200);
    auditor = await api.login('auditor');
    // Wait for the sealer's first checkpoint, so the key exists and verification has something signed to check.
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && (await api.store.readStream('audit_checkpoint-main').catch(() => [])).length === 0) {
      await new Promise((r) => setTimeout(r, 250));
    }
  }, 60_000);

  afterAll(async () => api.close());

  const get = (path: string, token = auditor) => fetch(`${api.base}${path}`, { headers: { authorization: `Bearer ${token}` } });

  it('refuses analysts', async () => {
    const analyst = await api.login('analyst');
    expect((await get('/v1/audit/public-key', analyst)).status).toBe(403);
    expect((await get('/v1/audit/export', analyst)).status).toBe(403);
    expect((await fetch(`${api.base}/v1/audit/verifications`, { method: 'POST', headers: { authorization: `Bearer ${analyst}` } })).status).toBe(403);
  });

  it('shows an auditor the events of one stream, a bounded page at a time', async () => {
    const streams = (await api.store.readAll({ maxCount: 100 })).events.map((e) => e.streamId).filter((id) => id.includes(accountId));
    expect(streams.length).toBeGreaterThan(0);
    const response = await get(`/v1/audit/streams/${encodeURIComponent(streams[0])}?limit=1`);
    expect(response.status).toBe(200);
    const page = (await response.json()) as AuditStreamPage;
    expect(page.events).toHaveLength(1);
    expect(page.events[0]).toMatchObject({ revision: '0', actor: expect.any(String), hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(page.nextRevision).toBe('1');
    expect((await get(`/v1/audit/streams/x?limit=501`)).status).toBe(400);
  });

  it('exports a range as NDJSON, and refuses ranges beyond the cap', async () => {
    const head = await api.store.headPosition();
    const response = await get(`/v1/audit/export?toPosition=${head}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/x-ndjson');
    expect(response.headers.get('content-disposition')).toContain('attachment');
    const lines = (await response.text()).trim().split('\n').map((line) => JSON.parse(line) as { position: string; hash: string });
    expect(lines.length).toBeGreaterThan(0);
    expect(BigInt(lines[lines.length - 1].position)).toBeLessThanOrEqual(head);
    expect((await get('/v1/audit/export?fromPosition=1&toPosition=200000')).status).toBe(400);
  });

  it('gives the sealing public key', async () => {
    const body = (await (await get('/v1/audit/public-key')).json()) as { pem: string };
    expect(body.pem).toContain('BEGIN PUBLIC KEY');
  });

  it('runs a verification in the background to a clean report', async () => {
    const started = await fetch(`${api.base}/v1/audit/verifications`, { method: 'POST', headers: { authorization: `Bearer ${auditor}` } });
    expect(started.status).toBe(202);
    const { id } = (await started.json()) as { id: string };
    let view: AuditVerificationView | undefined;
    const deadline = Date.now() + 20_000;
    do {
      view = (await (await get(`/v1/audit/verifications/${id}`)).json()) as AuditVerificationView;
      if (view.status === 'running') await new Promise((r) => setTimeout(r, 100));
    } while (view.status === 'running' && Date.now() < deadline);
    expect(view).toMatchObject({ status: 'done', report: { ok: true, failures: [] } });
    expect(view.report?.eventsChecked).toBeGreaterThan(0);
    expect(view.report?.checkpointsChecked).toBeGreaterThan(0);
    expect((await get('/v1/audit/verifications/nope')).status).toBe(404);
  }, 30_000);
});
