import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { LoginResponse, RiskAlertView } from '@smilepay/shared/contracts';
import { AlertsStore } from '../data-access/alerts/alerts.store';
import { authInterceptor } from '../data-access/auth/auth.interceptor';
import { SESSION_STORAGE_KEY } from '../data-access/auth/session';
import { AlertsPage } from './alerts-page';

const alerts: RiskAlertView[] = [
  {
    alertId: 'al-1',
    rule: 'spoof_burst',
    severity: 'high',
    subjectType: 'terminal',
    subjectId: 'term-7',
    message: '5 spoof verdicts in 60 s',
    status: 'open',
    raisedAt: '2025-06-01T10:00:00Z',
  },
  {
    alertId: 'al-2',
    rule: 'velocity_customer',
    severity: 'low',
    subjectType: 'customer',
    subjectId: 'cust-1',
    message: '6 payments in 10 min',
    status: 'acknowledged',
    raisedAt: '2025-06-01T11:00:00Z',
  },
];

async function render(role: LoginResponse['role']) {
  sessionStorage.setItem(
    SESSION_STORAGE_KEY,
    JSON.stringify({ token: `t-${role}`, role, username: role, expiresAt: new Date(Date.now() + 3_600_000).toISOString() }),
  );
  TestBed.configureTestingModule({
    providers: [provideRouter([]), provideHttpClient(withInterceptors([authInterceptor])), provideHttpClientTesting()],
  });
  const backend = TestBed.inject(HttpTestingController);
  const fixture = TestBed.createComponent(AlertsPage);
  backend.expectOne('/v1/alerts').flush(alerts);
  await fixture.whenStable();
  const element = fixture.nativeElement as HTMLElement;
  const buttons = () => Array.from(element.querySelectorAll('button')).map((b) => b.textContent?.trim());
  return { fixture, backend, element, buttons };
}

describe('AlertsPage', () => {
  afterEach(() => {
    TestBed.inject(HttpTestingController).verify();
    sessionStorage.clear();
  });

  it('lists open alerts first and lets an analyst acknowledge one', async () => {
    const { fixture, backend, element, buttons } = await render('analyst');
    expect(element.querySelectorAll('tbody tr')).toHaveLength(1);
    expect(buttons()).toEqual(expect.arrayContaining(['Acknowledge', 'Quarantine terminal']));

    element.querySelectorAll('button').forEach((b) => b.textContent?.trim() === 'Acknowledge' && b.click());
    const request = backend.expectOne('/v1/alerts/al-1/acknowledge');
    expect(request.request.method).toBe('POST');
    expect(request.request.headers.get('Idempotency-Key')).toBeTruthy();
    request.flush({});
    backend.expectOne('/v1/alerts').flush([{ ...alerts[0], status: 'acknowledged' }, alerts[1]]);
    await fixture.whenStable();
    expect(element.textContent).toContain('No open alerts.');
  });

  it('asks before quarantining a terminal', async () => {
    const { fixture, backend, element } = await render('admin');
    element.querySelectorAll('button').forEach((b) => b.textContent?.trim() === 'Quarantine terminal' && b.click());
    await fixture.whenStable();
    expect(element.textContent).toContain('Quarantine this terminal?');
    element.querySelectorAll('button').forEach((b) => b.textContent?.trim() === 'Confirm' && b.click());
    backend.expectOne('/v1/alerts/al-1/quarantine-terminal').flush({});
    backend.expectOne('/v1/alerts').flush(alerts);
  });

  it('shows an auditor the queue without any action', async () => {
    const { element, buttons } = await render('auditor');
    expect(element.textContent).toContain('5 spoof verdicts in 60 s');
    expect(element.textContent).toContain('read-only');
    expect(buttons()).not.toContain('Acknowledge');
    expect(buttons()).not.toContain('Quarantine terminal');
    expect(element.querySelector('th.actions-col')).toBeNull();
  });

  it('adds alerts raised on the live channel to the queue', async () => {
    const { fixture, element } = await render('analyst');
    TestBed.inject(AlertsStore).receive({ ...alerts[0], alertId: 'al-3', message: 'first payment at new terminal' });
    await fixture.whenStable();
    expect(element.textContent).toContain('first payment at new terminal');
  });
});
