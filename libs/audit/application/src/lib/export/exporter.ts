import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { EventStore } from '@smilepay/shared/eventstore';
import { toNdjsonLine } from '../read/event-format';
import { scanAll } from '../read/scan-all';
import { lastPositionAtOrBefore, lastPositionBefore } from '../read/time-index';

/** Either bound may be given by position or by time; omitted bounds are the start and the head of $all. */
export interface ExportRange {
  /** Inclusive. */
  fromPosition?: bigint;
  /** Inclusive. */
  toPosition?: bigint;
  /** Inclusive: events recorded at or after this time. */
  fromTime?: Date;
  /** Inclusive: events recorded at or before this time. */
  toTime?: Date;
}

/** A range resolved to positions: events with after < position <= upTo. */
export interface ResolvedRange {
  after: bigint;
  upTo: bigint;
}

export async function resolveRange(store: EventStore, range: ExportRange): Promise<ResolvedRange> {
  if (range.fromPosition !== undefined && range.fromTime !== undefined) throw new RangeError('give the start as a position or a time, not both');
  if (range.toPosition !== undefined && range.toTime !== undefined) throw new RangeError('give the end as a position or a time, not both');
  let after = -1n;
  if (range.fromPosition !== undefined) after = range.fromPosition - 1n;
  else if (range.fromTime !== undefined) after = await lastPositionBefore(store, range.fromTime);
  let upTo = await store.headPosition();
  if (range.toPosition !== undefined && range.toPosition < upTo) upTo = range.toPosition;
  else if (range.toTime !== undefined) upTo = await lastPositionAtOrBefore(store, range.toTime);
  return { after, upTo };
}

export interface ExportResult extends ResolvedRange {
  events: number;
  bytes: number;
  firstPosition: bigint | undefined;
  lastPosition: bigint | undefined;
}

export interface ExportOptions {
  pageSize?: number;
  onProgress?: (progress: { events: number; position: bigint; upTo: bigint }) => void;
}

/**
 * Writes $all events in the range as NDJSON (one EventRecord per line), honouring the writable's back-pressure, so
 * memory stays one page whatever the range. An unreadable (altered) event stops the export with an error rather
 * than leaving a silent gap.
 */
export async function exportNdjson(store: EventStore, range: ExportRange, out: Writable, options: ExportOptions = {}): Promise<ExportResult> {
  const resolved = await resolveRange(store, range);
  const result: ExportResult = { ...resolved, events: 0, bytes: 0, firstPosition: undefined, lastPosition: undefined };
  for await (const page of scanAll(store, { after: resolved.after, upTo: resolved.upTo, pageSize: options.pageSize ?? 2000 })) {
    if (page.kind !== 'events') continue;
    let chunk = '';
    for (const event of page.events) chunk += toNdjsonLine(event);
    result.events += page.events.length;
    result.bytes += Buffer.byteLength(chunk);
    result.firstPosition ??= page.events[0].position;
    result.lastPosition = page.events[page.events.length - 1].position;
    if (!out.write(chunk)) await once(out, 'drain');
    options.onProgress?.({ events: result.events, position: result.lastPosition, upTo: resolved.upTo });
  }
  return result;
}
