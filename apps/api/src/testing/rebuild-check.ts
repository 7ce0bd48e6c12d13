import { openScratchReadModel, rebuildAndDiff, type RebuildDiffReport } from '@smilepay/audit/application';
import { RISK_DETECTOR_PROJECTION } from '@smilepay/risk/application';
import type { EventStore } from '@smilepay/shared/eventstore';
import type { ReadModelDataSource } from '@smilepay/shared/projections';
import { readModelRegistry } from '../app/infrastructure/read-model-registry';

/**
 * Rebuilds every row-writing projection of the api from position 0 into a scratch database of the same kind and
 * diffs it with the live read model. The risk detector is left out: it appends alerts as it goes, so replaying it
 * into a scratch copy would write to the live store (its alerts are covered by the risk_alerts projection).
 */
export async function diffWithRebuild(store: EventStore, live: ReadModelDataSource, databaseUrl?: string): Promise<RebuildDiffReport> {
  const scratch = await openScratchReadModel({ entities: readModelRegistry.entities, migrations: readModelRegistry.migrations, databaseUrl });
  try {
    const projections = readModelRegistry.projections.filter((p) => p.name !== RISK_DETECTOR_PROJECTION);
    return await rebuildAndDiff(store, live, scratch.dataSource, projections);
  } finally {
    await scratch.dispose();
  }
}

/** One line per projection and table, for test output and drills. */
export function describeRebuild(report: RebuildDiffReport): string {
  const tables = report.projections.flatMap((p) => p.tables.map((t) => `${t.table}=${t.liveRows}/${t.rebuiltRows}`));
  return `${report.ok ? 'equal' : `${report.differences.length} differences`} (live/rebuilt rows: ${tables.join(', ')})`;
}
