import { randomUUID } from 'node:crypto';
import { AuditKeyStore, parsePublicKeyText, Verifier } from '@smilepay/audit/application';
import { join } from 'node:path';
import { startTestApi, type TestApi } from '../../testing/test-api';

describe('the api seals its event log in the background', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi({ env: { AUDIT_SEALER: 'on', AUDIT_SEAL_EVERY_SECONDS: '1' } });
  });

  afterAll(async () => api.close());

  it('appends a signed checkpoint over what it wrote, with the key kept outside the store', async () => {
    const admin = await api.login('admin');
    const accountId = '0d0c6d1e-3c4a-4c55-9b7f-1a2b3c4d5e6f';
    await fetch(`${api.base}/v1/ledger/accounts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify({ accountId, kind: 'merchant', currency: 'EUR', ledger: 1, code: 1 }),
    });
    const deadline = Date.now() + 45_000;
    let sealed = false;
    while (!sealed && Date.now() < deadline) {
      sealed = (await api.store.readStream('audit_checkpoint-main').catch(() => [])).length > 0;
      if (!sealed) await new Promise((r) => setTimeout(r, 500));
    }
    expect(sealed).toBe(true);
    // An auditor with only the public key verifies every stream's chain and the signed checkpoint.
    const keys = new AuditKeyStore(join(api.dataDir, 'audit-keys'));
    const publicKey = parsePublicKeyText(keys.publicKeyPem(keys.activeKeyId() as string));
    const report = await new Verifier(api.store).verify({ trustedPublicKeys: [publicKey] });
    expect(report.ok).toBe(true);
  }, 60_000);
});
