import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { keyIdOf } from '@smilepay/audit/domain';
import { nodeSha256, publicKeyFromRaw, rawPublicKeyOf } from '../crypto/node-crypto';

export interface SealingKey {
  keyId: string;
  /** Raw Ed25519 public key, base64. */
  publicKey: string;
  privateKey: KeyObject;
}

/** Most key files a key directory may hold: rotations are rare, and listing must stay bounded. */
const MAX_KEYS = 1000;
const KEY_ID = /^[0-9a-f]{32}$/;

/**
 * Sealing keys live in a directory of their own, never in the event store they protect: whoever can rewrite the
 * store must not also get the key. Layout: `<keyId>.private.pem` (PKCS#8, mode 0600), `<keyId>.public.pem` (SPKI,
 * for auditors) and `active` (the key to seal with while the audit stream names none). The directory is 0700.
 * A private key file readable by group or others is refused, as ssh refuses one.
 */
export class AuditKeyStore {
  constructor(readonly dir: string) {}

  /** The key with this id; throws with the directory named when it is missing. */
  load(keyId: string): SealingKey {
    if (!KEY_ID.test(keyId)) throw new TypeError(`not a key id: ${JSON.stringify(keyId)}`);
    const file = this.privateFile(keyId);
    if (!existsSync(file)) throw new Error(`sealing key ${keyId} is not in ${this.dir}`);
    const mode = statSync(file).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      throw new Error(`sealing key ${file} has mode ${mode.toString(8)}: it must be readable by its owner only (chmod 600)`);
    }
    const privateKey = createPrivateKey(readFileSync(file, 'utf8'));
    const publicKey = rawPublicKeyOf(privateKey);
    const actualId = keyIdOf(nodeSha256, publicKey);
    if (actualId !== keyId) throw new Error(`key file ${file} holds key ${actualId}, not ${keyId}`);
    return { keyId, publicKey, privateKey };
  }

  has(keyId: string): boolean {
    return KEY_ID.test(keyId) && existsSync(this.privateFile(keyId));
  }

  /** The `active` key, generating and activating one on first use. */
  loadOrCreateActive(): { key: SealingKey; created: boolean } {
    const active = this.activeKeyId();
    if (active !== undefined) return { key: this.load(active), created: false };
    const key = this.generate();
    this.activate(key.keyId);
    return { key, created: true };
  }

  activeKeyId(): string | undefined {
    const file = join(this.dir, 'active');
    if (!existsSync(file)) return undefined;
    const keyId = readFileSync(file, 'utf8').trim();
    if (!KEY_ID.test(keyId)) throw new Error(`${file} does not hold a key id`);
    return keyId;
  }

  /** Creates a new key pair on disk (not yet active). */
  generate(): SealingKey {
    this.ensureDir();
    if (this.list().length >= MAX_KEYS) throw new Error(`${this.dir} already holds ${MAX_KEYS} keys`);
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const raw = rawPublicKeyOf(publicKey);
    const keyId = keyIdOf(nodeSha256, raw);
    // 'wx': never overwrite a key file; mode is applied at creation so the secret is never briefly world-readable.
    writeFileSync(this.privateFile(keyId), privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600, flag: 'wx' });
    writeFileSync(this.publicFile(keyId), publicKey.export({ format: 'pem', type: 'spki' }), { mode: 0o644, flag: 'wx' });
    return { keyId, publicKey: raw, privateKey };
  }

  activate(keyId: string): void {
    if (!this.has(keyId)) throw new Error(`sealing key ${keyId} is not in ${this.dir}`);
    const temp = join(this.dir, `active.${process.pid}.tmp`);
    writeFileSync(temp, `${keyId}\n`, { mode: 0o600 });
    renameSync(temp, join(this.dir, 'active'));
  }

  /** Key ids present in the directory. */
  list(): string[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .filter((name) => name.endsWith('.private.pem'))
      .map((name) => name.slice(0, -'.private.pem'.length))
      .filter((keyId) => KEY_ID.test(keyId))
      .slice(0, MAX_KEYS);
  }

  /** PEM SPKI of a key: what to hand to auditors. */
  publicKeyPem(keyId: string): string {
    const file = this.publicFile(keyId);
    if (existsSync(file)) return readFileSync(file, 'utf8');
    return publicKeyFromRaw(this.load(keyId).publicKey).export({ format: 'pem', type: 'spki' }).toString();
  }

  publicFile(keyId: string): string {
    return join(this.dir, `${keyId}.public.pem`);
  }

  private privateFile(keyId: string): string {
    return join(this.dir, `${keyId}.private.pem`);
  }

  private ensureDir(): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    chmodSync(this.dir, 0o700);
  }
}
