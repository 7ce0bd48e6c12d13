import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { readModelTransaction, runSql } from '@smilepay/shared/projections';
import { sqlTime } from '../sql-time';
import { decodeEmbedding, encodeEmbedding } from './embedding-codec';
import { EnvelopeAuthenticationError, newDataKey, open, seal, unwrapKey, wrapKey } from './envelope';
import { TemplateVaultError, type TemplateVaultErrorCode } from './template-vault.errors';

export interface TemplateVaultOptions {
  masterKey: Buffer;
  masterKeyId: string;
}

export interface StoreTemplateInput {
  ref: string;
  customerId: string;
  modelVersion: string;
  embedding: ArrayLike<number>;
  at: Date;
}

export interface DecryptedTemplate {
  ref: string;
  customerId: string;
  modelVersion: string;
  embedding: Float32Array;
}

export interface UnreadableTemplate {
  ref: string;
  customerId: string;
  code: TemplateVaultErrorCode;
}

export interface TemplateBatch {
  templates: DecryptedTemplate[];
  /** Rows that could not be decrypted (erased or tampered): never matched against, reported to the caller. */
  unreadable: UnreadableTemplate[];
}

export interface TemplatePage extends TemplateBatch {
  /** Pass as `afterRef` for the next page; null once the scan is complete. */
  nextAfterRef: string | null;
}

export interface StaleTemplate {
  ref: string;
  customerId: string;
  lastUsedAt: Date;
}

/** Bounds on what one call may load or decrypt (every buffer has a limit). */
export const MAX_CUSTOMERS_PER_LOOKUP = 50;
export const MAX_TEMPLATES_PER_PAGE = 500;

interface TemplateRow {
  ref: string;
  customer_id: string;
  key_id: string;
  model_version: string;
  ciphertext: string | null;
  iv: string | null;
  tag: string | null;
  erased_at: unknown;
}

interface KeyRow {
  customer_id: string;
  key_id: string;
  wrapped_key: string;
  master_key_id: string;
}

const TEMPLATE_COLUMNS = `"ref", "customer_id", "key_id", "model_version", "ciphertext", "iv", "tag", "erased_at"`;
const templateAad = (ref: string, customerId: string, modelVersion: string) =>
  `smilepay:template:v1:${ref}:${customerId}:${modelVersion}`;
const keyAad = (customerId: string, keyId: string, masterKeyId: string) =>
  `smilepay:customer-key:v1:${customerId}:${keyId}:${masterKeyId}`;

/**
 * The encrypted template vault: AES-256-GCM under a per-customer data key, itself wrapped by the master key.
 * Nothing here logs, and plaintext embeddings exist only in memory for the duration of a call.
 *
 * Crypto-shredding only erases what the wrapped key protected: backups of `customer_keys` must not outlive the
 * retention term, since they would still hold wrapped keys that the master key can open.
 */
export class TemplateVault {
  constructor(
    private readonly dataSource: DataSource,
    private readonly options: TemplateVaultOptions,
  ) {
    if (options.masterKey.length !== 32) throw new Error('the master key must be 32 bytes');
  }

  /** Encrypts and stores a template. Storing the same ref again for the same customer is a no-op (a retry). */
  async store(input: StoreTemplateInput): Promise<void> {
    const plaintext = encodeEmbedding(input.embedding);
    await readModelTransaction(this.dataSource, async (tx) => {
      const existing = await this.templateRows(tx, `"ref" = :ref`, { ref: input.ref });
      if (existing.length > 0) {
        if (existing[0].customer_id !== input.customerId) throw new TemplateVaultError('template_ref_taken', input.ref);
        if (existing[0].erased_at !== null) throw new TemplateVaultError('template_erased', input.ref);
        return;
      }
      const { keyId, dataKey } = await this.currentOrNewKey(tx, input.customerId, input.at);
      const sealed = seal(dataKey, plaintext, templateAad(input.ref, input.customerId, input.modelVersion));
      dataKey.fill(0);
      await runSql(
        tx,
        `INSERT INTO "biometric_templates" ("ref", "customer_id", "key_id", "model_version", "ciphertext", "iv", "tag", "created_at", "last_used_at") ` +
          `VALUES (:ref, :customerId, :keyId, :modelVersion, :ciphertext, :iv, :tag, :at, :at)`,
        {
          ref: input.ref,
          customerId: input.customerId,
          keyId,
          modelVersion: input.modelVersion,
          ciphertext: sealed.ciphertext.toString('base64'),
          iv: sealed.iv.toString('base64'),
          tag: sealed.tag.toString('base64'),
          at: input.at,
        },
      );
    });
    plaintext.fill(0);
  }

  /** Decrypts one template, or throws TemplateVaultError (`template_not_found`, `template_erased`, `template_tampered`). */
  async read(ref: string): Promise<DecryptedTemplate> {
    const rows = await this.templateRows(this.dataSource.manager, `"ref" = :ref`, { ref });
    if (rows.length === 0) throw new TemplateVaultError('template_not_found', ref);
    const keys = await this.keysFor(this.dataSource.manager, [rows[0].customer_id]);
    const result = this.decrypt(rows[0], keys);
    if (result instanceof TemplateVaultError) throw result;
    return result;
  }

  /** The live templates of a few customers (the phone-narrowed gallery of a checkout), for one model version. */
  async readForCustomers(customerIds: readonly string[], modelVersion: string): Promise<TemplateBatch> {
    const ids = [...new Set(customerIds)];
    if (ids.length === 0) return { templates: [], unreadable: [] };
    if (ids.length > MAX_CUSTOMERS_PER_LOOKUP)
      throw new RangeError(`at most ${MAX_CUSTOMERS_PER_LOOKUP} customers per lookup`);
    const manager = this.dataSource.manager;
    const rows = await this.templateRows(
      manager,
      `"customer_id" IN (:...ids) AND "model_version" = :modelVersion AND "erased_at" IS NULL`,
      {
        ids,
        modelVersion,
      },
    );
    return this.decryptAll(rows, await this.keysFor(manager, ids));
  }

  /** One page of every live template of a model version, in ref order: the duplicate-face check iterates these. */
  async scanPage(options: { modelVersion: string; afterRef?: string | null; limit: number }): Promise<TemplatePage> {
    const limit = Math.min(Math.max(1, Math.trunc(options.limit)), MAX_TEMPLATES_PER_PAGE);
    const manager = this.dataSource.manager;
    const rows = await this.templateRows(
      manager,
      `"model_version" = :modelVersion AND "erased_at" IS NULL AND "ref" > :afterRef ORDER BY "ref" LIMIT ${limit}`,
      { modelVersion: options.modelVersion, afterRef: options.afterRef ?? '' },
    );
    const keys = await this.keysFor(manager, [...new Set(rows.map((r) => r.customer_id))]);
    const batch = this.decryptAll(rows, keys);
    return { ...batch, nextAfterRef: rows.length === limit ? rows[rows.length - 1].ref : null };
  }

  /** Records a successful match, which restarts the template's retention clock. Never moves the clock backwards. */
  async markUsed(ref: string, at: Date): Promise<void> {
    await readModelTransaction(this.dataSource, (tx) =>
      runSql(
        tx,
        `UPDATE "biometric_templates" SET "last_used_at" = :at WHERE "ref" = :ref AND "last_used_at" < :at AND "erased_at" IS NULL`,
        {
          ref,
          at,
        },
      ),
    );
  }

  /**
   * Destroys the customer's data key and wipes their ciphertexts, in one transaction. Idempotent. The wrapped key is
   * what erases: even a ciphertext restored from a backup can no longer be opened.
   */
  async destroyKey(customerId: string, at: Date): Promise<{ erasedRefs: string[] }> {
    return readModelTransaction(this.dataSource, async (tx) => {
      const { rows } = await runSql<{ ref: string }>(
        tx,
        `SELECT "ref" FROM "biometric_templates" WHERE "customer_id" = :customerId AND "erased_at" IS NULL ORDER BY "ref"`,
        { customerId },
      );
      await runSql(tx, `DELETE FROM "customer_keys" WHERE "customer_id" = :customerId`, { customerId });
      await runSql(
        tx,
        `UPDATE "biometric_templates" SET "ciphertext" = NULL, "iv" = NULL, "tag" = NULL, "erased_at" = :at ` +
          `WHERE "customer_id" = :customerId AND "erased_at" IS NULL`,
        { customerId, at },
      );
      return { erasedRefs: rows.map((r) => r.ref) };
    });
  }

  /**
   * Erases one template (the retention purge). When it was the customer's last live template the data key is
   * destroyed too, so nothing of theirs stays decryptable; otherwise the key stays for their other template.
   */
  async eraseTemplate(ref: string, at: Date): Promise<{ erased: boolean; keyDestroyed: boolean }> {
    return readModelTransaction(this.dataSource, async (tx) => {
      const rows = await this.templateRows(tx, `"ref" = :ref AND "erased_at" IS NULL`, { ref });
      if (rows.length === 0) return { erased: false, keyDestroyed: false };
      const customerId = rows[0].customer_id;
      await runSql(
        tx,
        `UPDATE "biometric_templates" SET "ciphertext" = NULL, "iv" = NULL, "tag" = NULL, "erased_at" = :at WHERE "ref" = :ref`,
        { ref, at },
      );
      const { rows: live } = await runSql<{ ref: string }>(
        tx,
        `SELECT "ref" FROM "biometric_templates" WHERE "customer_id" = :customerId AND "erased_at" IS NULL LIMIT 1`,
        { customerId },
      );
      if (live.length > 0) return { erased: true, keyDestroyed: false };
      await runSql(tx, `DELETE FROM "customer_keys" WHERE "customer_id" = :customerId`, { customerId });
      return { erased: true, keyDestroyed: true };
    });
  }

  /** Live templates not used since `cutoff`, oldest first, for the retention purge. */
  async findUnusedSince(cutoff: Date, limit: number): Promise<StaleTemplate[]> {
    const bounded = Math.min(Math.max(1, Math.trunc(limit)), MAX_TEMPLATES_PER_PAGE);
    const { rows } = await runSql<{ ref: string; customer_id: string; last_used_at: unknown }>(
      this.dataSource.manager,
      `SELECT "ref", "customer_id", "last_used_at" FROM "biometric_templates" ` +
        `WHERE "erased_at" IS NULL AND "last_used_at" < :cutoff ORDER BY "last_used_at", "ref" LIMIT ${bounded}`,
      { cutoff },
    );
    return rows.map((r) => ({ ref: r.ref, customerId: r.customer_id, lastUsedAt: sqlTime(r.last_used_at) }));
  }

  private async templateRows(
    manager: EntityManager,
    where: string,
    parameters: Record<string, unknown>,
  ): Promise<TemplateRow[]> {
    const { rows } = await runSql<TemplateRow>(
      manager,
      `SELECT ${TEMPLATE_COLUMNS} FROM "biometric_templates" WHERE ${where}`,
      parameters,
    );
    return rows;
  }

  private async keysFor(manager: EntityManager, customerIds: string[]): Promise<Map<string, KeyRow>> {
    if (customerIds.length === 0) return new Map();
    const { rows } = await runSql<KeyRow>(
      manager,
      `SELECT "customer_id", "key_id", "wrapped_key", "master_key_id" FROM "customer_keys" WHERE "customer_id" IN (:...ids)`,
      { ids: customerIds },
    );
    return new Map(rows.map((r) => [r.customer_id, r]));
  }

  private async currentOrNewKey(
    tx: EntityManager,
    customerId: string,
    at: Date,
  ): Promise<{ keyId: string; dataKey: Buffer }> {
    let key = (await this.keysFor(tx, [customerId])).get(customerId);
    if (key === undefined) {
      const keyId = randomUUID();
      const dataKey = newDataKey();
      const wrapped = wrapKey(this.options.masterKey, dataKey, keyAad(customerId, keyId, this.options.masterKeyId));
      dataKey.fill(0);
      await runSql(
        tx,
        `INSERT INTO "customer_keys" ("customer_id", "key_id", "wrapped_key", "master_key_id", "created_at") ` +
          `VALUES (:customerId, :keyId, :wrapped, :masterKeyId, :at) ON CONFLICT ("customer_id") DO NOTHING`,
        { customerId, keyId, wrapped, masterKeyId: this.options.masterKeyId, at },
      );
      // Re-read: a concurrent writer may have inserted its key first, and that one is the key.
      key = (await this.keysFor(tx, [customerId])).get(customerId);
      if (key === undefined) throw new Error('customer key vanished while being created');
    }
    return { keyId: key.key_id, dataKey: this.unwrap(key) };
  }

  private unwrap(key: KeyRow): Buffer {
    if (key.master_key_id !== this.options.masterKeyId)
      throw new Error(`customer key wrapped by unknown master key ${key.master_key_id}`);
    return unwrapKey(this.options.masterKey, key.wrapped_key, keyAad(key.customer_id, key.key_id, key.master_key_id));
  }

  private decryptAll(rows: TemplateRow[], keys: Map<string, KeyRow>): TemplateBatch {
    const batch: TemplateBatch = { templates: [], unreadable: [] };
    for (const row of rows) {
      const result = this.decrypt(row, keys);
      if (result instanceof TemplateVaultError)
        batch.unreadable.push({ ref: row.ref, customerId: row.customer_id, code: result.code });
      else batch.templates.push(result);
    }
    return batch;
  }

  /** Returns the error instead of throwing so that one bad row does not hide the others from a scan. */
  private decrypt(row: TemplateRow, keys: Map<string, KeyRow>): DecryptedTemplate | TemplateVaultError {
    const key = keys.get(row.customer_id);
    // No key, a newer key generation, or a tombstone: the data key this ciphertext needs was destroyed.
    if (row.erased_at !== null || row.ciphertext === null || key === undefined || key.key_id !== row.key_id) {
      return new TemplateVaultError('template_erased', row.ref);
    }
    let dataKey: Buffer | undefined;
    try {
      dataKey = this.unwrap(key);
      const sealed = {
        ciphertext: Buffer.from(row.ciphertext, 'base64'),
        iv: Buffer.from(row.iv ?? '', 'base64'),
        tag: Buffer.from(row.tag ?? '', 'base64'),
      };
      const plaintext = open(dataKey, sealed, templateAad(row.ref, row.customer_id, row.model_version));
      const embedding = decodeEmbedding(plaintext);
      plaintext.fill(0);
      return { ref: row.ref, customerId: row.customer_id, modelVersion: row.model_version, embedding };
    } catch (error) {
      if (error instanceof EnvelopeAuthenticationError) return new TemplateVaultError('template_tampered', row.ref);
      throw error;
    } finally {
      dataKey?.fill(0);
    }
  }
}
