import type { PaymentFeedItem } from '@smilepay/shared/contracts';
import { applyUpdates, FEED_LIMIT, isFeedItem, mergeSnapshot } from './feed';

let clock = Date.parse('2025-06-01T12:00:00.000Z');

function payment(paymentId: string, overrides: Partial<PaymentFeedItem> = {}): PaymentFeedItem {
  clock += 1_000;
  return {
    paymentId,
    checkoutId: `c-${paymentId}`,
    merchantId: 'm-1',
    terminalId: 't-1',
    customerId: 'cust-1',
    amountMinor: '1250',
    currency: 'EUR',
    status: 'started',
    method: 'face',
    declineReason: null,
    livenessVerdict: null,
    attackSpecies: null,
    livenessScore: null,
    matchScore: null,
    decisionLatencyMs: null,
    updatedAt: new Date(clock).toISOString(),
    ...overrides,
  };
}

const ids = (feed: readonly PaymentFeedItem[]) => feed.map((p) => p.paymentId);

describe('applyUpdates', () => {
  it('puts new payments on top, the last to arrive first', () => {
    const feed = applyUpdates([], [payment('a'), payment('b')]);
    expect(ids(applyUpdates(feed, [payment('c')]))).toEqual(['c', 'b', 'a']);
  });

  it('updates a payment where it stands instead of moving it', () => {
    const feed = applyUpdates([], [payment('a'), payment('b'), payment('c')]);
    const next = applyUpdates(feed, [payment('b', { status: 'captured' })]);
    expect(ids(next)).toEqual(['c', 'b', 'a']);
    expect(next[1].status).toBe('captured');
  });

  it('ignores an update older than the state shown', () => {
    const stale = payment('a', { status: 'started' });
    const fresh = payment('a', { status: 'captured' });
    const feed = applyUpdates([], [fresh]);
    const next = applyUpdates(feed, [stale]);
    expect(next).toBe(feed);
    expect(next[0].status).toBe('captured');
  });

  it('keeps only the newest state of a payment that arrives several times in one batch', () => {
    const next = applyUpdates([], [payment('a', { status: 'started' }), payment('a', { status: 'authorized' }), payment('a', { status: 'captured' })]);
    expect(next).toHaveLength(1);
    expect(next[0].status).toBe('captured');
  });

  it('never holds more than the limit, dropping the oldest', () => {
    const burst = Array.from({ length: FEED_LIMIT + 50 }, (_, i) => payment(`p${i}`));
    const feed = applyUpdates([], burst);
    expect(feed).toHaveLength(FEED_LIMIT);
    expect(feed[0].paymentId).toBe(`p${FEED_LIMIT + 49}`);
    expect(feed[FEED_LIMIT - 1].paymentId).toBe('p50');
    expect(applyUpdates(feed, [payment('new')])).toHaveLength(FEED_LIMIT);
  });

  it('drops the oldest row when a new payment arrives at a full feed', () => {
    let feed: readonly PaymentFeedItem[] = [];
    for (const id of ['x', 'y', 'z']) feed = applyUpdates(feed, [payment(id)], 2);
    expect(ids(feed)).toEqual(['z', 'y']);
  });

  it('returns the same array when nothing changed, so signals stay quiet', () => {
    const feed = applyUpdates([], [payment('a')]);
    expect(applyUpdates(feed, [])).toBe(feed);
  });
});

describe('mergeSnapshot', () => {
  it('keeps live updates received during the request on top and appends the snapshot below', () => {
    const liveFirst = applyUpdates([], [payment('live')]);
    const snapshot = [payment('s2'), payment('s1')];
    expect(ids(mergeSnapshot(liveFirst, snapshot))).toEqual(['live', 's2', 's1']);
  });

  it('does not let an older snapshot overwrite a newer live state', () => {
    const old = payment('a', { status: 'started' });
    const feed = applyUpdates([], [payment('a', { status: 'captured' })]);
    expect(mergeSnapshot(feed, [old])[0].status).toBe('captured');
  });

  it('updates a shown payment in place from a newer snapshot', () => {
    const feed = applyUpdates([], [payment('a'), payment('b')]);
    const merged = mergeSnapshot(feed, [payment('a', { status: 'declined', declineReason: 'spoof' })]);
    expect(ids(merged)).toEqual(['b', 'a']);
    expect(merged[1].status).toBe('declined');
  });

  it('is cut to the limit and ignores duplicates in the snapshot', () => {
    const snapshot = Array.from({ length: FEED_LIMIT + 10 }, (_, i) => payment(`s${i}`));
    expect(mergeSnapshot([], snapshot)).toHaveLength(FEED_LIMIT);
    expect(ids(mergeSnapshot([], [payment('d'), payment('d')]))).toEqual(['d']);
  });
});

describe('isFeedItem', () => {
  it('accepts a feed item and refuses anything without the fields the table needs', () => {
    expect(isFeedItem(payment('a'))).toBe(true);
    expect(isFeedItem(null)).toBe(false);
    expect(isFeedItem({ paymentId: 'a' })).toBe(false);
    expect(isFeedItem({ ...payment('a'), amountMinor: 1250 })).toBe(false);
  });
});
