import { randomUUID } from 'node:crypto';

/** Sub-millisecond counter width of a version 7 uuid (RFC 9562 `rand_a`, used as a counter: method 1). */
const COUNTER_LIMIT = 0x1000;

let lastMs = 0;
let counter = 0;

/**
 * A version 7 uuid (RFC 9562): 48 bits of Unix milliseconds, a 12-bit counter, then 62 random bits. Ids made by one
 * process sort in the order they were made (the counter runs on within a millisecond and borrows the next one when
 * it overflows, so a clock step backwards does not reorder them either).
 *
 * Why not v4: the store indexes event ids (they are unique), and random keys scatter every insert over the whole
 * index, so each commit rewrites hundreds of index pages. Time-ordered ids land at the right edge of the index,
 * like positions. The random tail keeps them unique across processes, and they are still plain uuids for KurrentDB.
 */
export function timeOrderedUuid(): string {
  const now = Date.now();
  if (now > lastMs) {
    lastMs = now;
    counter = 0;
  } else if (++counter >= COUNTER_LIMIT) {
    lastMs += 1;
    counter = 0;
  }
  const ms = lastMs.toString(16).padStart(12, '0');
  // randomUUID's tail from the variant group on ("-Nxxx-xxxxxxxxxxxx") carries the RFC variant bits and 62 random bits.
  return `${ms.slice(0, 8)}-${ms.slice(8, 12)}-7${counter.toString(16).padStart(3, '0')}${randomUUID().slice(18)}`;
}
