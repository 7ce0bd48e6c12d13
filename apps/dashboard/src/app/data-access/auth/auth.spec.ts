import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ChangeDetectionStrategy, Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import type { LoginResponse } from '@smilepay/shared/contracts';
import { API_BASE_URL } from '../config/api-base-url';
import { authGuard, signedOutGuard } from './auth.guard';
import { authInterceptor } from './auth.interceptor';
import { AuthStore } from './auth.store';
import { SESSION_STORAGE_KEY } from './session';

@Component({ selector: 'sp-blank', template: '', changeDetection: ChangeDetectionStrategy.OnPush })
class Blank {}

const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();
const anHourAgo = () => new Date(Date.now() - 3_600_000).toISOString();
const session = (overrides: Partial<LoginResponse> = {}): LoginResponse => ({
  token: 'token-analyst',
  role: 'analyst',
  username: 'analyst',
  expiresAt: inAnHour(),
  ...overrides,
});

function setUp(stored: LoginResponse | null, baseUrl = '') {
  sessionStorage.clear();
  if (stored) sessionStorage.setItem(SESSION_STORAGE_KEY, JSON.stringify(stored));
  TestBed.configureTestingModule({
    providers: [
      { provide: API_BASE_URL, useValue: baseUrl },
      provideRouter([
        { path: 'login', component: Blank, canActivate: [signedOutGuard] },
        { path: '', canActivateChild: [authGuard], children: [{ path: 'live', component: Blank }, { path: 'alerts', component: Blank }] },
      ]),
      provideHttpClient(withInterceptors([authInterceptor])),
      provideHttpClientTesting(),
    ],
  });
  return {
    auth: TestBed.inject(AuthStore),
    http: TestBed.inject(HttpClient),
    backend: TestBed.inject(HttpTestingController),
    router: TestBed.inject(Router),
  };
}

describe('auth guard', () => {
  it('sends a signed-out user to the login page and remembers where they were going', async () => {
    const { router } = setUp(null);
    await router.navigateByUrl('/alerts');
    expect(router.url).toBe('/login?returnUrl=%2Falerts');
  });

  it('lets a signed-in user through', async () => {
    const { router } = setUp(session());
    await router.navigateByUrl('/alerts');
    expect(router.url).toBe('/alerts');
  });

  it('treats an expired session as signed out and clears it', async () => {
    const { router, auth } = setUp(session({ expiresAt: anHourAgo() }));
    await router.navigateByUrl('/live');
    expect(router.url).toBe('/login?reason=expired&returnUrl=%2Flive');
    expect(auth.session()).toBeNull();
    expect(sessionStorage.getItem(SESSION_STORAGE_KEY)).toBeNull();
  });

  it('keeps a signed-in user away from the login page', async () => {
    const { router } = setUp(session());
    await router.navigateByUrl('/login');
    expect(router.url).toBe('/live');
  });
});

describe('auth interceptor', () => {
  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it('adds the bearer token to api calls', () => {
    const { http, backend } = setUp(session());
    http.get('/v1/alerts').subscribe();
    expect(backend.expectOne('/v1/alerts').request.headers.get('Authorization')).toBe('Bearer token-analyst');
  });

  it('never sends the token to another host or to the login call', () => {
    const { http, backend } = setUp(session(), 'https://api.smilepay.test');
    http.get('https://elsewhere.test/v1/alerts').subscribe();
    http.post('https://api.smilepay.test/v1/auth/login', {}).subscribe();
    http.get('https://api.smilepay.test/v1/alerts').subscribe();
    expect(backend.expectOne('https://elsewhere.test/v1/alerts').request.headers.has('Authorization')).toBe(false);
    expect(backend.expectOne('https://api.smilepay.test/v1/auth/login').request.headers.has('Authorization')).toBe(false);
    expect(backend.expectOne('https://api.smilepay.test/v1/alerts').request.headers.get('Authorization')).toBe('Bearer token-analyst');
  });

  it('signs out and goes to the login page when the api answers 401', async () => {
    const { http, backend, router, auth } = setUp(session());
    await router.navigateByUrl('/alerts');
    const failure = new Promise<unknown>((resolve) => http.get('/v1/alerts').subscribe({ error: resolve }));
    backend.expectOne('/v1/alerts').flush({ code: 'unauthorized', message: 'token expired', details: {} }, { status: 401, statusText: 'Unauthorized' });
    expect(await failure).toMatchObject({ status: 401 });
    await new Promise((resolve) => setTimeout(resolve));
    expect(auth.session()).toBeNull();
    expect(router.url).toBe('/login?reason=expired&returnUrl=%2Falerts');
  });

  it('leaves the session alone on other errors such as 403', () => {
    const { http, backend, auth } = setUp(session({ role: 'auditor', token: 'token-auditor' }));
    http.post('/v1/claims/c-1/approve', { amountMinor: '100' }).subscribe({ error: () => undefined });
    backend.expectOne('/v1/claims/c-1/approve').flush({ code: 'forbidden', message: 'auditors cannot approve', details: {} }, { status: 403, statusText: 'Forbidden' });
    expect(auth.session()?.role).toBe('auditor');
  });
});

describe('AuthStore.login', () => {
  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it('posts the credentials, keeps the session in sessionStorage and exposes the role', async () => {
    const { auth, backend } = setUp(null);
    const done = auth.login({ username: 'auditor', password: 'auditor' });
    const request = backend.expectOne('/v1/auth/login');
    expect(request.request.method).toBe('POST');
    expect(request.request.body).toEqual({ username: 'auditor', password: 'auditor' });
    request.flush(session({ role: 'auditor', username: 'auditor', token: 'token-auditor' }));
    await done;
    expect(auth.role()).toBe('auditor');
    expect(auth.canAct()).toBe(false);
    expect(JSON.parse(sessionStorage.getItem(SESSION_STORAGE_KEY) ?? 'null')).toMatchObject({ token: 'token-auditor' });
  });

  it('refuses a malformed login response instead of storing it', async () => {
    const { auth, backend } = setUp(null);
    const done = auth.login({ username: 'x', password: 'y' });
    backend.expectOne('/v1/auth/login').flush({ token: 'abc', role: 'superuser' });
    await expect(done).rejects.toThrow(/unexpected body/);
    expect(auth.session()).toBeNull();
  });
});
