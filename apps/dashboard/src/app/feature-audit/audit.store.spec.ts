import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { AuditVerificationView } from '@smilepay/shared/contracts';
import { AuditStore, exportUrl, progressPercent } from './audit.store';

const running = (position: string): AuditVerificationView => ({
  id: 'v1',
  status: 'running',
  startedAt: '2026-11-25T10:00:00Z',
  finishedAt: null,
  progress: { eventsChecked: Number(position), position, headPosition: '200' },
  report: null,
  error: null,
});

describe('AuditStore', () => {
  let store: AuditStore;
  let backend: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting(), provideRouter([]), AuditStore] });
    store = TestBed.inject(AuditStore);
    backend = TestBed.inject(HttpTestingController);
  });

  afterEach(() => {
    backend.verify();
    jest.useRealTimers();
  });

  it('pages through a stream, appending the next page from the revision the api gave', () => {
    store.streamId.set(' ledger_account-1 ');
    store.loadStream();
    const first = backend.expectOne((r) => r.url === '/v1/audit/streams/ledger_account-1');
    expect(first.request.params.get('fromRevision')).toBe('0');
    const event = (revision: string) => ({ position: revision, revision, type: 'Opened', recordedAt: '', actor: 'admin', data: {}, prevHash: '', hash: 'ab' });
    first.flush({ streamId: 'ledger_account-1', events: [event('0')], nextRevision: '1' });
    store.loadStream(true);
    const second = backend.expectOne((r) => r.url === '/v1/audit/streams/ledger_account-1');
    expect(second.request.params.get('fromRevision')).toBe('1');
    second.flush({ streamId: 'ledger_account-1', events: [event('1')], nextRevision: null });
    expect(store.events().map((e) => e.revision)).toEqual(['0', '1']);
    expect(store.nextRevision()).toBeNull();
    expect(store.streamState().status).toBe('ready');
  });

  it('polls a running verification until it is done, showing progress meanwhile', () => {
    jest.useFakeTimers();
    store.verify();
    backend.expectOne({ method: 'POST', url: '/v1/audit/verifications' }).flush({ id: 'v1' });
    backend.expectOne('/v1/audit/verifications/v1').flush(running('50'));
    expect(store.verifying()).toBe(true);
    expect(store.progress()).toBe(25);
    store.verify(); // refused while one runs: no second POST
    jest.advanceTimersByTime(500);
    const report = { ok: true, headPosition: '200', eventsChecked: 200, streamsChecked: 3, checkpointsChecked: 1, unsealedEvents: 0, failures: [], truncated: false, durationMs: 5 };
    backend.expectOne('/v1/audit/verifications/v1').flush({ ...running('200'), status: 'done', report });
    expect(store.verifying()).toBe(false);
    expect(store.verification()?.report?.ok).toBe(true);
    jest.advanceTimersByTime(5_000);
    backend.expectNone('/v1/audit/verifications/v1');
  });

  it('shows why a verification could not start', () => {
    store.verify();
    backend.expectOne('/v1/audit/verifications').flush({ code: 'verification_running', message: 'a verification is already running' }, { status: 409, statusText: 'Conflict' });
    expect(store.verifyError()).toBe('a verification is already running');
  });
});

describe('audit helpers', () => {
  it('computes progress from the position reached against the head', () => {
    expect(progressPercent(null)).toBe(0);
    expect(progressPercent(running('0'))).toBe(0);
    expect(progressPercent(running('199'))).toBe(99);
    expect(progressPercent({ ...running('0'), progress: { eventsChecked: 0, position: '0', headPosition: '0' } })).toBe(0);
    expect(progressPercent({ ...running('10'), status: 'done' })).toBe(100);
  });

  it('leaves empty bounds out of the export url', () => {
    expect(exportUrl('', '', '')).toBe('/v1/audit/export');
    expect(exportUrl('http://api', ' 5 ', '9')).toBe('http://api/v1/audit/export?fromPosition=5&toPosition=9');
  });
});
