import { Injectable } from '@angular/core';

/** Older keys are dropped first past this many actions in flight or awaiting a retry. */
const maxRemembered = 200;

/**
 * A random UUID v4. crypto.randomUUID exists only in secure contexts, and the demo may be opened over plain http
 * on a LAN address, so this builds it from getRandomValues, which is available everywhere.
 */
export function randomUuid(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * One idempotency key per user intention. The key is created before the first attempt and reused when the same
 * action (same target, same body) is retried after a network or server failure, so the api applies it once.
 * It is forgotten once the api has given a definite answer.
 */
@Injectable({ providedIn: 'root' })
export class IdempotencyKeys {
  private readonly keys = new Map<string, string>();

  keyFor(action: string): string {
    const existing = this.keys.get(action);
    if (existing) return existing;
    const key = randomUuid();
    this.keys.set(action, key);
    if (this.keys.size > maxRemembered) {
      const oldest = this.keys.keys().next().value;
      if (oldest !== undefined) this.keys.delete(oldest);
    }
    return key;
  }

  forget(action: string): void {
    this.keys.delete(action);
  }
}
