import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@smilepay/shared/eventstore';

/**
 * Real SQLite event stores in a temp directory, one file per store, removed at the end. Tests run against the
 * store the product ships with, never a fake of our own port.
 */
export class TempEventStores {
  private readonly dir: string;
  private readonly open: SqliteEventStore[] = [];
  private count = 0;

  /**
   * `inMemoryFs`: put the files on tmpfs (/dev/shm) when the machine has one. Same adapter, same SQL, same WAL;
   * only the disk syncs go, which is what long property runs spend most of their time waiting for.
   */
  constructor(options: { inMemoryFs?: boolean } = {}) {
    const base = options.inMemoryFs && existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
    this.dir = mkdtempSync(join(base, 'smilepay-ledger-'));
  }

  create(): SqliteEventStore {
    const store = new SqliteEventStore(join(this.dir, `events-${++this.count}.sqlite`));
    this.open.push(store);
    return store;
  }

  async dispose(): Promise<void> {
    await Promise.all(this.open.map((store) => store.close()));
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A clock the test moves by hand; canonical ISO strings as the domain requires. */
export class ManualClock {
  private millis: number;

  constructor(start = '2025-03-01T10:00:00.000Z') {
    this.millis = Date.parse(start);
  }

  readonly now = (): string => new Date(this.millis).toISOString();

  advanceSeconds(seconds: number): void {
    this.millis += seconds * 1000;
  }
}

/**
 * Readable valid uuids: the (hex) tag in the last group says what the id is for; `namespace` (first group) keeps
 * runs that share one store apart.
 */
export function testId(tag: string, n: number, namespace = 0): string {
  return `${namespace.toString(16).padStart(8, '0')}-0000-4000-8000-${tag}${String(n).padStart(12 - tag.length, '0')}`;
}

export const context = { correlationId: '00000000-0000-4000-8000-00000000c0de', actor: 'system:test' };
