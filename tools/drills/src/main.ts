// Must come first: makes the workspace aliases (@smilepay/...) resolvable when run from source with ts-node.
import './register-paths';
import { killDuringPayments } from './kill-during-payments.drill';
import { failoverUnderLoad } from './failover.drill';
import { idleSockets } from './idle-sockets.drill';
import { killProjectorsMidBatch } from './projector-kill.drill';
import type { DrillReport } from './drill-env';

/**
 * The slow reliability drills of issue 7, run by `.ci/run` through `npx nx run drills:drill` (which builds the api
 * first): real api processes killed with SIGKILL. `drills <name>...` runs some; no name runs all. Exit 1 on a failure.
 */
const seed = Number(process.env['DRILL_SEED'] ?? Date.now() % 1_000_000);
const drills: Record<string, () => Promise<DrillReport>> = {
  sockets: () => idleSockets({ sockets: 1_000, seed, maxGrowthMiB: 150 }),
  failover: () => failoverUnderLoad({ payments: 300, seed }),
  'projector-kill': () => killProjectorsMidBatch({ payments: 8_000, kills: 4, seed }),
  'kill-payments': () =>
    killDuringPayments({ payments: Number(process.env['DRILL_PAYMENTS'] ?? 1_000), seed, concurrency: 4, kills: Number(process.env['DRILL_KILLS'] ?? 6) }),
};

async function main(names: string[]): Promise<number> {
  const chosen = names.length === 0 ? Object.keys(drills) : names;
  const unknown = chosen.filter((name) => drills[name] === undefined);
  if (unknown.length > 0) {
    process.stderr.write(`unknown drill ${unknown.join(', ')}; known: ${Object.keys(drills).join(', ')}\n`);
    return 2;
  }
  const failed: string[] = [];
  for (const name of chosen) {
    const started = Date.now();
    const report = await drills[name]();
    process.stdout.write(`[${report.name}] ${report.failures.length === 0 ? 'PASSED' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    if (report.failures.length > 0) failed.push(name);
  }
  process.stdout.write(failed.length === 0 ? `drills: all ${chosen.length} passed\n` : `drills: ${failed.join(', ')} failed\n`);
  return failed.length === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
