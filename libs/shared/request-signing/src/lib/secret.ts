import { inspect } from 'node:util';

/**
 * A secret that cannot leak through logging: string conversion, JSON and util.inspect all print a redaction.
 * Only `reveal()` gives the bytes, and only the HMAC code calls it.
 */
export class Secret {
  readonly #value: Buffer;

  constructor(value: string | Buffer) {
    this.#value = Buffer.isBuffer(value) ? Buffer.from(value) : Buffer.from(value, 'utf8');
  }

  reveal(): Buffer {
    return this.#value;
  }

  get byteLength(): number {
    return this.#value.length;
  }

  toString(): string {
    return '[redacted]';
  }

  toJSON(): string {
    return '[redacted]';
  }

  [inspect.custom](): string {
    return 'Secret([redacted])';
  }
}
