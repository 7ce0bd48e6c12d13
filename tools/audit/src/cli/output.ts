import { once } from 'node:events';
import type { Writable } from 'node:stream';

/** Where a command writes: results to `out` (pipe it to a file), progress and diagnostics to `err`. */
export interface CliIo {
  out: Writable;
  err: Writable;
  /** Whether `err` is a terminal (progress bars only there). */
  errIsTty: boolean;
}

/** A bad command line: printed with the usage hint, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** JSON with bigints as decimal strings (positions, revisions), indented for people. */
export function toJson(value: unknown, indent = 2): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), indent);
}

export async function write(stream: Writable, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

/** Exit codes: 0 all good, 1 the audit found a problem, 2 the command itself failed. */
export const EXIT = { ok: 0, findings: 1, error: 2 } as const;
