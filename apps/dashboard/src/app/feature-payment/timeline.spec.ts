import type { TimelineEntry } from '@smilepay/shared/contracts';
import { formatData, MAX_DATA_CHARS, sortTimeline, streamCategory, streamsOf } from './timeline';

const entry = (streamId: string, position: string, recordedAt: string, type = 'X'): TimelineEntry => ({
  streamId,
  revision: '0',
  position,
  type,
  recordedAt,
  actor: 'system',
  data: {},
});

describe('timeline', () => {
  it('orders events of several streams by their global position, compared as bigints', () => {
    const sorted = sortTimeline([
      entry('ledger_account-a', '10', '2025-01-01T00:00:03Z', 'c'),
      entry('checkout-1', '9', '2025-01-01T00:00:02Z', 'b'),
      entry('checkout-1', '9007199254740993', '2025-01-01T00:00:05Z', 'e'),
      entry('checkout-1', '9007199254740992', '2025-01-01T00:00:04Z', 'd'),
      entry('checkout-1', '2', '2025-01-01T00:00:01Z', 'a'),
    ]);
    expect(sorted.map((e) => e.type)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('falls back to the recorded time when a position is not a number', () => {
    const sorted = sortTimeline([entry('s-1', '', '2025-01-01T00:00:02Z', 'late'), entry('s-1', '', '2025-01-01T00:00:01Z', 'early')]);
    expect(sorted.map((e) => e.type)).toEqual(['early', 'late']);
  });

  it('names the stream category before the first dash', () => {
    expect(streamCategory('ledger_account-3f1c-44')).toBe('ledger_account');
    expect(streamCategory('nodash')).toBe('nodash');
  });

  it('counts events per stream', () => {
    expect(streamsOf([entry('checkout-1', '1', ''), entry('checkout-1', '2', ''), entry('claim-9', '3', '')])).toEqual([
      { streamId: 'checkout-1', category: 'checkout', events: 2 },
      { streamId: 'claim-9', category: 'claim', events: 1 },
    ]);
  });

  it('cuts very large event data', () => {
    const text = formatData({ blob: 'x'.repeat(MAX_DATA_CHARS * 2) });
    expect(text.length).toBeLessThan(MAX_DATA_CHARS + 100);
    expect(text).toMatch(/cut at/);
    expect(formatData(undefined)).toBe('null');
  });
});
