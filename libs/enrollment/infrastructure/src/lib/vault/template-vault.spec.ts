import { randomBytes } from 'node:crypto';
import { openTestReadModelDatabase, runSql, type TestReadModelDatabase } from '@smilepay/shared/projections';
import { enrollmentEntities, enrollmentMigrations } from '../enrollment-read-models';
import { randomUnitVector } from '../testing/random-embedding';
import { TemplateVault } from './template-vault';
import { TemplateVaultError } from './template-vault.errors';
import { open, unwrapKey } from './envelope';
import { decodeEmbedding } from './embedding-codec';

const T0 = new Date('2025-01-01T10:00:00.000Z');
const days = (n: number) => new Date(T0.getTime() + n * 86_400_000);
const MODEL = 'arcface-r100@1';

async function expectVaultError(promise: Promise<unknown>, code: string): Promise<void> {
  await expect(promise).rejects.toBeInstanceOf(TemplateVaultError);
  await expect(promise).rejects.toMatchObject({ code });
}

describe.each(['sqlite', 'postgres'] as const)('TemplateVault on %s', (dialect) => {
  let db: TestReadModelDatabase;
  let vault: TemplateVault;
  const masterKey = randomBytes(32);

  beforeEach(async () => {
    db = await openTestReadModelDatabase(dialect, { entities: enrollmentEntities, migrations: enrollmentMigrations });
    vault = new TemplateVault(db.dataSource, { masterKey, masterKeyId: 'mk1' });
  });
  afterEach(() => db.dispose());

  const rowOf = async (ref: string) =>
    (
      await runSql<Record<string, unknown>>(
        db.dataSource.manager,
        `SELECT * FROM "biometric_templates" WHERE "ref" = :ref`,
        { ref },
      )
    ).rows[0];

  it('stores a template encrypted and reads back the same embedding', async () => {
    const embedding = randomUnitVector();
    await vault.store({ ref: 'tpl_a', customerId: 'cus_a', modelVersion: MODEL, embedding, at: T0 });
    const read = await vault.read('tpl_a');
    expect(read).toMatchObject({ ref: 'tpl_a', customerId: 'cus_a', modelVersion: MODEL });
    expect(Array.from(read.embedding)).toEqual(Array.from(embedding));
    const row = await rowOf('tpl_a');
    const stored = Buffer.from(String(row['ciphertext']), 'base64');
    expect(stored.includes(Buffer.from(embedding.buffer).subarray(0, 16))).toBe(false);
    const { rows: keys } = await runSql<{ wrapped_key: string }>(
      db.dataSource.manager,
      `SELECT "wrapped_key" FROM "customer_keys"`,
    );
    expect(keys).toHaveLength(1);
  });

  it('treats storing the same ref again as a retry, and refuses a ref owned by another customer', async () => {
    const embedding = randomUnitVector();
    await vault.store({ ref: 'tpl_a', customerId: 'cus_a', modelVersion: MODEL, embedding, at: T0 });
    await vault.store({
      ref: 'tpl_a',
      customerId: 'cus_a',
      modelVersion: MODEL,
      embedding: randomUnitVector(),
      at: T0,
    });
    expect(Array.from((await vault.read('tpl_a')).embedding)).toEqual(Array.from(embedding));
    await expectVaultError(
      vault.store({ ref: 'tpl_a', customerId: 'cus_b', modelVersion: MODEL, embedding, at: T0 }),
      'template_ref_taken',
    );
    await expectVaultError(vault.read('tpl_missing'), 'template_not_found');
  });

  it('detects tampering and refuses a ciphertext moved onto another customer', async () => {
    await vault.store({
      ref: 'tpl_a',
      customerId: 'cus_a',
      modelVersion: MODEL,
      embedding: randomUnitVector(),
      at: T0,
    });
    await vault.store({
      ref: 'tpl_b',
      customerId: 'cus_b',
      modelVersion: MODEL,
      embedding: randomUnitVector(),
      at: T0,
    });
    const a = await rowOf('tpl_a');
    const flipped = Buffer.from(String(a['ciphertext']), 'base64');
    flipped[10] ^= 1;
    await runSql(db.dataSource.manager, `UPDATE "biometric_templates" SET "ciphertext" = :c WHERE "ref" = 'tpl_a'`, {
      c: flipped.toString('base64'),
    });
    await expectVaultError(vault.read('tpl_a'), 'template_tampered');
    // tpl_b's ciphertext, sealed under cus_b's key and bound to tpl_b, copied into another row of cus_b.
    const b = await rowOf('tpl_b');
    await runSql(
      db.dataSource.manager,
      `INSERT INTO "biometric_templates" ("ref", "customer_id", "key_id", "model_version", "ciphertext", "iv", "tag", "created_at", "last_used_at") ` +
        `VALUES ('tpl_copy', 'cus_b', :keyId, :model, :c, :iv, :tag, :at, :at)`,
      { keyId: b['key_id'], model: MODEL, c: b['ciphertext'], iv: b['iv'], tag: b['tag'], at: T0 },
    );
    await expectVaultError(vault.read('tpl_copy'), 'template_tampered');
    const batch = await vault.readForCustomers(['cus_a', 'cus_b'], MODEL);
    expect(batch.templates.map((t) => t.ref)).toEqual(['tpl_b']);
    expect(batch.unreadable.map((u) => [u.ref, u.code]).sort()).toEqual([
      ['tpl_a', 'template_tampered'],
      ['tpl_copy', 'template_tampered'],
    ]);
  });

  describe('destroyKey', () => {
    it('makes the template unrecoverable through every path, even from a restored copy of its row', async () => {
      const embedding = randomUnitVector();
      await vault.store({ ref: 'tpl_a', customerId: 'cus_a', modelVersion: MODEL, embedding, at: T0 });
      await vault.store({
        ref: 'tpl_b',
        customerId: 'cus_b',
        modelVersion: MODEL,
        embedding: randomUnitVector(),
        at: T0,
      });
      const backup = await rowOf('tpl_a');
      const { rows: keyBackup } = await runSql<{ wrapped_key: string; key_id: string }>(
        db.dataSource.manager,
        `SELECT "wrapped_key", "key_id" FROM "customer_keys" WHERE "customer_id" = 'cus_a'`,
      );

      expect(await vault.destroyKey('cus_a', days(1))).toEqual({ erasedRefs: ['tpl_a'] });
      expect(await vault.destroyKey('cus_a', days(2))).toEqual({ erasedRefs: [] });

      // The vault's own paths: single read, the 1:few gallery, the duplicate-check scan.
      await expectVaultError(vault.read('tpl_a'), 'template_erased');
      expect(await vault.readForCustomers(['cus_a'], MODEL)).toEqual({ templates: [], unreadable: [] });
      expect((await vault.scanPage({ modelVersion: MODEL, limit: 10 })).templates.map((t) => t.ref)).toEqual(['tpl_b']);
      const tombstone = await rowOf('tpl_a');
      expect([tombstone['ciphertext'], tombstone['iv'], tombstone['tag']]).toEqual([null, null, null]);
      expect(await vault.findUnusedSince(days(10_000), 10)).toEqual([expect.objectContaining({ ref: 'tpl_b' })]);

      // A backup of the templates table restored over the tombstone: still no key, so still erased.
      await runSql(
        db.dataSource.manager,
        `UPDATE "biometric_templates" SET "ciphertext" = :c, "iv" = :iv, "tag" = :tag, "erased_at" = NULL WHERE "ref" = 'tpl_a'`,
        { c: backup['ciphertext'], iv: backup['iv'], tag: backup['tag'] },
      );
      await expectVaultError(vault.read('tpl_a'), 'template_erased');
      expect((await vault.readForCustomers(['cus_a'], MODEL)).unreadable).toEqual([
        { ref: 'tpl_a', customerId: 'cus_a', code: 'template_erased' },
      ]);
      const scan = await vault.scanPage({ modelVersion: MODEL, limit: 10 });
      expect(scan.templates.map((t) => t.ref)).toEqual(['tpl_b']);
      expect(scan.unreadable.map((u) => u.ref)).toEqual(['tpl_a']);

      // The customer enrols again: a new key generation, which cannot open the old ciphertext either.
      await vault.store({
        ref: 'tpl_a2',
        customerId: 'cus_a',
        modelVersion: MODEL,
        embedding: randomUnitVector(),
        at: days(3),
      });
      await expectVaultError(vault.read('tpl_a'), 'template_erased');
      const { rows: newKey } = await runSql<{ key_id: string }>(
        db.dataSource.manager,
        `SELECT "key_id" FROM "customer_keys" WHERE "customer_id" = 'cus_a'`,
      );
      await runSql(db.dataSource.manager, `UPDATE "biometric_templates" SET "key_id" = :k WHERE "ref" = 'tpl_a'`, {
        k: newKey[0].key_id,
      });
      await expectVaultError(vault.read('tpl_a'), 'template_tampered');

      // Only the destroyed wrapped key could open it: the master key alone and the new data key cannot.
      const sealed = {
        ciphertext: Buffer.from(String(backup['ciphertext']), 'base64'),
        iv: Buffer.from(String(backup['iv']), 'base64'),
        tag: Buffer.from(String(backup['tag']), 'base64'),
      };
      const aad = `smilepay:template:v1:tpl_a:cus_a:${MODEL}`;
      expect(() => open(masterKey, sealed, aad)).toThrow('ciphertext failed authentication');
      const oldKey = unwrapKey(
        masterKey,
        keyBackup[0].wrapped_key,
        `smilepay:customer-key:v1:cus_a:${keyBackup[0].key_id}:mk1`,
      );
      // (Control: with the destroyed key, from a key backup, it would open. Key backups must not outlive retention.)
      expect(Array.from(decodeEmbedding(open(oldKey, sealed, aad)))).toEqual(Array.from(embedding));
    });
  });

  it('pages through every live template of a model version in ref order', async () => {
    for (let i = 0; i < 7; i++) {
      await vault.store({
        ref: `tpl_${i}`,
        customerId: `cus_${i}`,
        modelVersion: MODEL,
        embedding: randomUnitVector(),
        at: T0,
      });
    }
    await vault.store({
      ref: 'tpl_other',
      customerId: 'cus_x',
      modelVersion: 'other@2',
      embedding: randomUnitVector(),
      at: T0,
    });
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const page = await vault.scanPage({ modelVersion: MODEL, afterRef: after, limit: 3 });
      seen.push(...page.templates.map((t) => t.ref));
      after = page.nextAfterRef;
      pages++;
    } while (after !== null && pages < 10);
    expect(seen).toEqual(['tpl_0', 'tpl_1', 'tpl_2', 'tpl_3', 'tpl_4', 'tpl_5', 'tpl_6']);
    expect(pages).toBe(3);
  });

  it('finds templates unused for the retention term; a use restarts the clock', async () => {
    await vault.store({
      ref: 'tpl_old',
      customerId: 'cus_a',
      modelVersion: MODEL,
      embedding: randomUnitVector(),
      at: T0,
    });
    await vault.store({
      ref: 'tpl_used',
      customerId: 'cus_b',
      modelVersion: MODEL,
      embedding: randomUnitVector(),
      at: T0,
    });
    await vault.markUsed('tpl_used', days(800));
    await vault.markUsed('tpl_used', days(100));
    const stale = await vault.findUnusedSince(days(500), 10);
    expect(stale.map((s) => s.ref)).toEqual(['tpl_old']);
    expect(stale[0].lastUsedAt.toISOString()).toBe(T0.toISOString());
    expect((await vault.findUnusedSince(days(801), 10)).map((s) => s.ref)).toEqual(['tpl_old', 'tpl_used']);
  });

  it('erases one stale template, destroying the key only with the last live template', async () => {
    await vault.store({
      ref: 'tpl_orphan',
      customerId: 'cus_a',
      modelVersion: MODEL,
      embedding: randomUnitVector(),
      at: T0,
    });
    await vault.store({
      ref: 'tpl_current',
      customerId: 'cus_a',
      modelVersion: MODEL,
      embedding: randomUnitVector(),
      at: T0,
    });
    expect(await vault.eraseTemplate('tpl_orphan', days(1))).toEqual({ erased: true, keyDestroyed: false });
    await expectVaultError(vault.read('tpl_orphan'), 'template_erased');
    expect((await vault.read('tpl_current')).ref).toBe('tpl_current');
    expect(await vault.eraseTemplate('tpl_current', days(2))).toEqual({ erased: true, keyDestroyed: true });
    await expectVaultError(vault.read('tpl_current'), 'template_erased');
    expect(await vault.eraseTemplate('tpl_current', days(3))).toEqual({ erased: false, keyDestroyed: false });
    const { rows } = await runSql(db.dataSource.manager, `SELECT * FROM "customer_keys"`);
    expect(rows).toHaveLength(0);
  });

  it('creates one data key per customer even when templates are stored concurrently', async () => {
    await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        vault.store({
          ref: `tpl_${i}`,
          customerId: 'cus_a',
          modelVersion: MODEL,
          embedding: randomUnitVector(),
          at: T0,
        }),
      ),
    );
    const { rows } = await runSql(db.dataSource.manager, `SELECT * FROM "customer_keys"`);
    expect(rows).toHaveLength(1);
    expect((await vault.readForCustomers(['cus_a'], MODEL)).templates).toHaveLength(5);
  });

  it('refuses a wrong master key with a tamper error, never plaintext', async () => {
    await vault.store({
      ref: 'tpl_a',
      customerId: 'cus_a',
      modelVersion: MODEL,
      embedding: randomUnitVector(),
      at: T0,
    });
    const other = new TemplateVault(db.dataSource, { masterKey: randomBytes(32), masterKeyId: 'mk1' });
    await expectVaultError(other.read('tpl_a'), 'template_tampered');
  });
});
