import type { TimelineEntry } from '@smilepay/shared/contracts';

/** Event data longer than this is cut when shown; the api's timeline is for reading, not for export. */
export const MAX_DATA_CHARS = 20_000;

/** `checkout-1f2e…` → `checkout`: stream ids are `<category>-<id>` with no '-' in the category. */
export function streamCategory(streamId: string): string {
  const dash = streamId.indexOf('-');
  return dash > 0 ? streamId.slice(0, dash) : streamId;
}

function position(entry: TimelineEntry): bigint | null {
  return /^\d+$/.test(entry.position) ? BigInt(entry.position) : null;
}

/**
 * Events of several streams in the order the store recorded them: by global position (a bigint in a string),
 * then by time when a position is missing.
 */
export function sortTimeline(entries: readonly TimelineEntry[]): TimelineEntry[] {
  return [...entries].sort((a, b) => {
    const pa = position(a);
    const pb = position(b);
    if (pa !== null && pb !== null && pa !== pb) return pa < pb ? -1 : 1;
    return Date.parse(a.recordedAt) - Date.parse(b.recordedAt);
  });
}

export function formatData(data: unknown): string {
  const text = JSON.stringify(data, null, 2) ?? 'null';
  return text.length > MAX_DATA_CHARS ? `${text.slice(0, MAX_DATA_CHARS)}\n… (cut at ${MAX_DATA_CHARS} characters)` : text;
}

export interface StreamSummary {
  streamId: string;
  category: string;
  events: number;
}

export function streamsOf(entries: readonly TimelineEntry[]): StreamSummary[] {
  const counts = new Map<string, number>();
  for (const entry of entries) counts.set(entry.streamId, (counts.get(entry.streamId) ?? 0) + 1);
  return [...counts].map(([streamId, events]) => ({ streamId, category: streamCategory(streamId), events }));
}
