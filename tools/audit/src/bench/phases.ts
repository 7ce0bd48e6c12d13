import { createWriteStream, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import {
  AuditKeyStore,
  balancesAsOf,
  checkLedgerInvariants,
  exportNdjson,
  scanAll,
  Sealer,
  type VerifyPhase,
  Verifier,
} from '@smilepay/audit/application';
import { openSqliteEventStore, type SqliteEventStore } from '@smilepay/shared/eventstore';

export interface PhaseResult {
  phase: string;
  events: number;
  seconds: number;
  /** maxRSS of the phase's own process. */
  peakRssMiB: number;
  /** RSS at 25, 50, 75 and 100 % of the phase. */
  rssMiB: number[];
  /** Live JS heap after a full GC at the same points: what the work really retains. */
  heapMiB: number[];
  note?: string;
  /** Verify only: seconds per verifier phase. */
  split?: string;
}

/** Records RSS, and the live heap after a forced GC (children run with --expose-gc), as progress crosses each quarter. */
class Quarters {
  readonly rss: number[] = [];
  readonly heap: number[] = [];
  tick(fraction: number): void {
    while (this.rss.length < 4 && fraction >= (this.rss.length + 1) / 4) {
      this.rss.push(process.memoryUsage.rss() / 2 ** 20);
      const gc = (globalThis as { gc?: () => void }).gc;
      gc?.();
      this.heap.push(process.memoryUsage().heapUsed / 2 ** 20);
    }
  }
  finish(): void {
    this.tick(1);
  }
}

const peakRssMiB = () => process.resourceUsage().maxRSS / 1024;

type Work = (q: Quarters, head: bigint) => Promise<Omit<PhaseResult, 'phase' | 'seconds' | 'peakRssMiB' | 'rssMiB' | 'heapMiB'>>;

/** Times `work`; the four forced GCs are inside the timing, a few ms each (they only make the figures pessimistic). */
async function timed(phase: string, store: SqliteEventStore, work: Work): Promise<PhaseResult> {
  const head = await store.headPosition();
  const quarters = new Quarters();
  const started = performance.now();
  const result = await work(quarters, head);
  const seconds = (performance.now() - started) / 1000;
  quarters.finish();
  return { phase, seconds, peakRssMiB: peakRssMiB(), rssMiB: quarters.rss, heapMiB: quarters.heap, ...result };
}

export async function runPhase(phase: string, dir: string, _events: number): Promise<PhaseResult> {
  const store = openSqliteEventStore(join(dir, 'events.sqlite'));
  try {
    switch (phase) {
      case 'export':
        return await timed(phase, store, async (q, head) => {
          const path = join(dir, 'export.ndjson');
          const out = createWriteStream(path);
          const result = await exportNdjson(store, {}, out, { pageSize: 5000, onProgress: (p) => q.tick(Number(p.position) / Number(head)) });
          out.end();
          await finished(out);
          const mib = statSync(path).size / 2 ** 20;
          rmSync(path);
          return { events: result.events, note: `${Math.round(mib)} MiB of NDJSON` };
        });
      case 'scan':
        return await timed(phase, store, async (q, head) => {
          let events = 0;
          for await (const page of scanAll(store, { pageSize: 5000 })) {
            events += page.events.length;
            q.tick(Number(page.events[page.events.length - 1].position) / Number(head));
          }
          return { events };
        });
      case 'replay':
        return await timed(phase, store, async (q) => {
          const report = await checkLedgerInvariants(store, { onProgress: (read, position, target) => q.tick(Number(position) / Number(target)) });
          if (!report.ok) throw new Error(`invariants failed: ${JSON.stringify(report.violations.slice(0, 3), (_k, v) => (typeof v === 'bigint' ? String(v) : v))}`);
          return { events: report.eventsRead, note: `${report.accounts} accounts, 0 violations` };
        });
      case 'balance':
        return await timed(phase, store, async (q, head) => {
          const [, , wallet] = (await store.readAll({ maxCount: 3 })).events;
          const accountId = (wallet.data as { accountId: string }).accountId;
          const result = await balancesAsOf(store, [accountId], { position: head }, { onProgress: (_read, position, target) => q.tick(Number(position) / Number(target)) });
          return { events: result.eventsRead };
        });
      case 'seal':
        return await timed(phase, store, async (q, head) => {
          const sealer = new Sealer(store, new AuditKeyStore(join(dir, 'audit-keys')), { everyEvents: 10_000 });
          let sealedEvents = 0;
          const sealed = await sealer.sealPending({
            force: true,
            onProgress: (events) => {
              sealedEvents = events;
              q.tick(events / Number(head));
            },
          });
          return { events: sealedEvents, note: `${sealed.length} checkpoints` };
        });
      case 'verify':
        return await verifyPhase(store, dir);
      default:
        throw new Error(`unknown phase ${phase}`);
    }
  } finally {
    await store.close();
  }
}

async function verifyPhase(store: SqliteEventStore, dir: string): Promise<PhaseResult> {
  const keys = new AuditKeyStore(join(dir, 'audit-keys'));
  const publicKeys = keys.list().map((keyId) => keys.load(keyId).publicKey);
  return timed('verify', store, async (q, head) => {
    const phases: { phase: VerifyPhase; at: number }[] = [];
    const report = await new Verifier(store).verify({
      trustedPublicKeys: publicKeys,
      onProgress: (p) => {
        if (phases[phases.length - 1]?.phase !== p.phase) phases.push({ phase: p.phase, at: performance.now() });
        if (p.phase === 'events' && p.position !== undefined) q.tick(Number(p.position) / Number(head));
      },
    });
    if (!report.ok) throw new Error(`verification failed: ${report.eventFailures.length} events, ${report.checkpointFailures.length} checkpoints`);
    const end = performance.now();
    const split = phases.map((p, i) => `${p.phase.replace('_', ' ')} ${(((phases[i + 1]?.at ?? end) - p.at) / 1000).toFixed(1)} s`).join(', ');
    return {
      events: report.eventsChecked,
      note: `${report.checkpointsChecked} checkpoints, ${report.consistency.pairsChecked} consistency proofs, ${report.streamsChecked.toLocaleString('en-US')} streams, ok`,
      split,
    };
  });
}
