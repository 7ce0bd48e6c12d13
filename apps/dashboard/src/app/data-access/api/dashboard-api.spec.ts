import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { DashboardApi } from './dashboard-api';
import { randomUuid } from './idempotency-keys';

const uuidV4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('DashboardApi commands', () => {
  let api: DashboardApi;
  let backend: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    api = TestBed.inject(DashboardApi);
    backend = TestBed.inject(HttpTestingController);
  });

  afterEach(() => backend.verify());

  const keyOf = (url: string) => backend.expectOne(url).request.headers.get('Idempotency-Key');

  it('posts the documented bodies to the documented paths', () => {
    api.approveClaim('c/1', '1250').subscribe();
    api.rejectClaim('c-2', 'customer was present').subscribe();
    api.assignClaim('c-3').subscribe();
    api.alertAction('a-1', 'quarantine-terminal').subscribe();
    const approve = backend.expectOne('/v1/claims/c%2F1/approve');
    expect(approve.request.body).toEqual({ amountMinor: '1250' });
    expect(backend.expectOne('/v1/claims/c-2/reject').request.body).toEqual({ reason: 'customer was present' });
    expect(backend.expectOne('/v1/claims/c-3/assign').request.body).toEqual({});
    expect(backend.expectOne('/v1/alerts/a-1/quarantine-terminal').request.method).toBe('POST');
  });

  it('reuses the idempotency key when the same action is retried after a server failure', () => {
    api.approveClaim('c-1', '1250').subscribe({ error: () => undefined });
    const first = backend.expectOne('/v1/claims/c-1/approve');
    const key = first.request.headers.get('Idempotency-Key');
    expect(key).toMatch(uuidV4);
    first.flush(null, { status: 503, statusText: 'Service Unavailable' });

    api.approveClaim('c-1', '1250').subscribe();
    const retry = backend.expectOne('/v1/claims/c-1/approve');
    expect(retry.request.headers.get('Idempotency-Key')).toBe(key);
    retry.flush({});

    api.approveClaim('c-1', '1250').subscribe();
    expect(keyOf('/v1/claims/c-1/approve')).not.toBe(key);
  });

  it('uses a new key after a definite refusal or for a different body', () => {
    api.approveClaim('c-1', '1250').subscribe({ error: () => undefined });
    const first = backend.expectOne('/v1/claims/c-1/approve');
    const key = first.request.headers.get('Idempotency-Key');
    first.flush({ code: 'claim_not_assigned', message: 'assign first', details: {} }, { status: 409, statusText: 'Conflict' });

    api.approveClaim('c-1', '1250').subscribe({ error: () => undefined });
    const second = backend.expectOne('/v1/claims/c-1/approve');
    expect(second.request.headers.get('Idempotency-Key')).not.toBe(key);
    second.flush(null, { status: 0, statusText: 'Unknown Error' });

    api.approveClaim('c-1', '1000').subscribe();
    expect(keyOf('/v1/claims/c-1/approve')).not.toBe(second.request.headers.get('Idempotency-Key'));
  });
});

describe('randomUuid', () => {
  it('makes distinct version-4 UUIDs without needing a secure context', () => {
    const seen = new Set(Array.from({ length: 200 }, () => randomUuid()));
    expect(seen.size).toBe(200);
    for (const uuid of seen) expect(uuid).toMatch(uuidV4);
  });
});
