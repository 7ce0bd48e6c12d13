import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { PaymentFeedItem } from '@smilepay/shared/contracts';
import { FEED_LIMIT } from './feed';
import { FeedStore, MAX_PENDING_UPDATES } from './feed.store';

function payment(paymentId: string, updatedAt: string, status: PaymentFeedItem['status'] = 'started'): PaymentFeedItem {
  return {
    paymentId,
    checkoutId: 'c',
    merchantId: 'm',
    terminalId: 't',
    customerId: null,
    amountMinor: '100',
    currency: 'EUR',
    status,
    method: 'face',
    declineReason: null,
    livenessVerdict: 'live',
    attackSpecies: null,
    livenessScore: 0.98,
    matchScore: 0.91,
    decisionLatencyMs: 420,
    updatedAt,
  };
}

const at = (second: number) => new Date(Date.UTC(2025, 5, 1, 12, 0, second)).toISOString();

describe('FeedStore', () => {
  let store: FeedStore;
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()],
    });
    store = TestBed.inject(FeedStore);
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => http.verify());

  it('loads the newest payments and merges them under live updates that arrived first', () => {
    store.refresh();
    expect(store.state().status).toBe('loading');
    store.receive(payment('live', at(30)));

    http.expectOne(`/v1/payments?limit=${FEED_LIMIT}`).flush([payment('s2', at(20)), payment('s1', at(10))]);

    expect(store.state().status).toBe('ready');
    expect(store.items().map((p) => p.paymentId)).toEqual(['live', 's2', 's1']);
  });

  it('batches socket updates until the flush, newest first, updating in place by paymentId', () => {
    store.receive(payment('a', at(1)));
    store.receive(payment('b', at(2)));
    expect(store.items()).toEqual([]);
    store.flush();
    expect(store.items().map((p) => p.paymentId)).toEqual(['b', 'a']);

    store.receive(payment('a', at(3), 'captured'));
    store.flush();
    expect(store.items().map((p) => `${p.paymentId}:${p.status}`)).toEqual(['b:started', 'a:captured']);
  });

  it('flushes on its own at the next frame', async () => {
    store.receive(payment('a', at(1)));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(store.items().map((p) => p.paymentId)).toEqual(['a']);
  });

  it('stays bounded however many updates arrive between frames', () => {
    for (let i = 0; i < MAX_PENDING_UPDATES + 500; i += 1) store.receive(payment(`p${i}`, at(i % 60)));
    expect(store.pendingCount()).toBe(MAX_PENDING_UPDATES);
    store.flush();
    expect(store.items()).toHaveLength(FEED_LIMIT);
  });

  it('drops malformed socket messages', () => {
    store.receive({ paymentId: 42 });
    store.receive(null);
    store.receiveAll({ paymentId: 'not-an-array' });
    store.receiveAll([null, payment('ok', at(1)), { paymentId: 42 }]);
    store.flush();
    expect(store.items().map((p) => p.paymentId)).toEqual(['ok']);
  });

  it('reports a failed load and recovers on retry', () => {
    store.refresh();
    http.expectOne(`/v1/payments?limit=${FEED_LIMIT}`).flush({ code: 'boom', message: 'store unavailable', details: {} }, { status: 503, statusText: 'Service Unavailable' });
    expect(store.state()).toEqual({ status: 'error', error: 'store unavailable' });

    store.refresh();
    http.expectOne(`/v1/payments?limit=${FEED_LIMIT}`).flush([payment('a', at(1))]);
    expect(store.state().status).toBe('ready');
    expect(store.items()).toHaveLength(1);
  });
});
