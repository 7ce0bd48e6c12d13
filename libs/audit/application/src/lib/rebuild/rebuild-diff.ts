import type { EventStore } from '@smilepay/shared/eventstore';
import { dialectOf, type Projection, readCheckpoint, readModelTransaction, rebuildProjection } from '@smilepay/shared/projections';
import type { DataSource, EntityManager } from 'typeorm';
import { compareKeys, normalizeValue, type Row, TableCursor, tableShape, type TableShape } from './table-cursor';

export interface RowDifference {
  projection: string;
  table: string;
  /** Primary key of the row. */
  key: Record<string, string | null>;
  kind: 'missing_in_live' | 'extra_in_live' | 'changed';
  /** For `changed`: each column whose value differs. */
  columns?: { column: string; live: string | null; rebuilt: string | null }[];
}

export interface ProjectionDiff {
  projection: string;
  /** The live checkpoint the comparison was made at. */
  livePosition: bigint;
  /** The position the scratch copy was rebuilt to. */
  rebuiltPosition: bigint;
  eventsReplayed: number;
  tables: { table: string; liveRows: number; rebuiltRows: number; differences: number }[];
  /** Why the comparison may show differences that are not corruption (positions differ). */
  note?: string;
}

export interface RebuildDiffReport {
  ok: boolean;
  projections: ProjectionDiff[];
  differences: RowDifference[];
  truncated: boolean;
}

export type RebuildDiffProgress =
  | { phase: 'rebuild'; projection: string; position: bigint; target: bigint; eventsRead: number }
  | { phase: 'compare'; projection: string; table: string; rows: number };

export interface RebuildDiffOptions {
  /** Rebuild up to this position instead of each projection's live checkpoint. */
  upTo?: bigint;
  /** Most row differences kept (default 1,000). */
  maxDifferences?: number;
  pageSize?: number;
  /** Attempts to catch a live read model that keeps moving during the rebuild (default 3). */
  maxAttempts?: number;
  onProgress?: (progress: RebuildDiffProgress) => void;
}

/**
 * Rebuilds each projection from position 0 into a scratch database, then compares it row by row with the live read
 * model, which is read in one snapshot together with its checkpoint. By default each projection is rebuilt up to the
 * live checkpoint, so any difference is a row the live model holds that its events do not produce.
 */
export async function rebuildAndDiff(
  store: EventStore,
  live: DataSource,
  scratch: DataSource,
  projections: readonly Projection[],
  options: RebuildDiffOptions = {},
): Promise<RebuildDiffReport> {
  const report: RebuildDiffReport = { ok: true, projections: [], differences: [], truncated: false };
  const budget = { left: options.maxDifferences ?? 1000, truncated: false };
  for (const projection of projections) {
    report.projections.push(await diffProjection(store, live, scratch, projection, options, report.differences, budget));
  }
  report.truncated = budget.truncated;
  report.ok = report.differences.length === 0 && !budget.truncated;
  return report;
}

async function diffProjection(
  store: EventStore,
  live: DataSource,
  scratch: DataSource,
  projection: Projection,
  options: RebuildDiffOptions,
  differences: RowDifference[],
  budget: { left: number; truncated: boolean },
): Promise<ProjectionDiff> {
  const maxAttempts = options.upTo === undefined ? (options.maxAttempts ?? 3) : 1;
  for (let attempt = 1; ; attempt++) {
    const target = options.upTo ?? (await readCheckpoint(live, projection.name));
    const rebuilt = await rebuildProjection(store, scratch, projection, {
      upTo: target,
      pageSize: 1000,
      onProgress: (p) => options.onProgress?.({ phase: 'rebuild', projection: projection.name, position: p.position, target: p.target, eventsRead: p.eventsRead }),
    });
    const result = await inSnapshot(live, async (tx) => {
      const livePosition = await readCheckpoint(tx, projection.name);
      if (livePosition !== target && attempt < maxAttempts) return undefined;
      const found: RowDifference[] = [];
      const tables = [];
      for (const table of projection.tables) tables.push(await diffTable(tx, scratch, projection.name, tableShape(scratch, table), found, budget, options));
      const note =
        livePosition === rebuilt.position
          ? undefined
          : `live read model is at position ${livePosition}, the rebuild at ${rebuilt.position}: rows changed by the events in between differ too`;
      return { diff: { projection: projection.name, livePosition, rebuiltPosition: rebuilt.position, eventsReplayed: rebuilt.eventsRead, tables, note }, found };
    });
    if (result !== undefined) {
      differences.push(...result.found);
      return result.diff;
    }
  }
}

async function diffTable(
  tx: EntityManager,
  scratch: DataSource,
  projection: string,
  shape: TableShape,
  found: RowDifference[],
  budget: { left: number; truncated: boolean },
  options: RebuildDiffOptions,
): Promise<ProjectionDiff['tables'][number]> {
  const pageSize = options.pageSize ?? 1000;
  const liveRows = new TableCursor(tx, shape, pageSize);
  const rebuiltRows = new TableCursor(scratch.manager, shape, pageSize);
  let differences = 0;
  const record = (difference: RowDifference) => {
    differences += 1;
    if (budget.left <= 0) budget.truncated = true;
    else {
      budget.left -= 1;
      found.push(difference);
    }
  };
  let [a, b] = [await liveRows.next(), await rebuiltRows.next()];
  let steps = 0;
  while (a !== undefined || b !== undefined) {
    const order = a === undefined ? 1 : b === undefined ? -1 : compareKeys(keyOf(a, shape), keyOf(b, shape));
    if (order < 0) {
      record({ projection, table: shape.table, key: keyRecord(a as Row, shape), kind: 'extra_in_live' });
      a = await liveRows.next();
    } else if (order > 0) {
      record({ projection, table: shape.table, key: keyRecord(b as Row, shape), kind: 'missing_in_live' });
      b = await rebuiltRows.next();
    } else {
      const columns = changedColumns(a as Row, b as Row);
      if (columns.length > 0) record({ projection, table: shape.table, key: keyRecord(a as Row, shape), kind: 'changed', columns });
      [a, b] = [await liveRows.next(), await rebuiltRows.next()];
    }
    if (++steps % 2500 === 0) options.onProgress?.({ phase: 'compare', projection, table: shape.table, rows: liveRows.rowsRead });
  }
  return { table: shape.table, liveRows: liveRows.rowsRead, rebuiltRows: rebuiltRows.rowsRead, differences };
}

function changedColumns(live: Row, rebuilt: Row): NonNullable<RowDifference['columns']> {
  const columns = [...new Set([...Object.keys(live), ...Object.keys(rebuilt)])].sort();
  return columns
    .map((column) => ({ column, live: normalizeValue(live[column]), rebuilt: normalizeValue(rebuilt[column]) }))
    .filter((entry) => entry.live !== entry.rebuilt);
}

const keyOf = (row: Row, shape: TableShape): unknown[] => shape.keys.map((key) => row[key]);

function keyRecord(row: Row, shape: TableShape): Record<string, string | null> {
  return Object.fromEntries(shape.keys.map((key) => [key, normalizeValue(row[key])]));
}

/** One consistent view of the live model: a REPEATABLE READ transaction, or SQLite's snapshot of one transaction. */
function inSnapshot<T>(live: DataSource, work: (tx: EntityManager) => Promise<T>): Promise<T> {
  return dialectOf(live) === 'postgres' ? live.transaction('REPEATABLE READ', work) : readModelTransaction(live, work);
}
