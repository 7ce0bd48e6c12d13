import { asSession, canActAs, isExpired, readStoredSession, safeReturnUrl, SESSION_STORAGE_KEY } from './session';

const valid = { token: 'jwt.abc', role: 'analyst', username: 'analyst', expiresAt: '2030-01-01T00:00:00Z' };

describe('session', () => {
  afterEach(() => sessionStorage.clear());

  it('accepts a well-formed login response and refuses anything else', () => {
    expect(asSession(valid)).toEqual(valid);
    expect(asSession({ ...valid, role: 'root' })).toBeNull();
    expect(asSession({ ...valid, token: '' })).toBeNull();
    expect(asSession({ ...valid, expiresAt: 'tomorrow' })).toBeNull();
    expect(asSession('token')).toBeNull();
  });

  it('reads the stored session and treats tampered storage as signed out', () => {
    sessionStorage.setItem(SESSION_STORAGE_KEY, JSON.stringify(valid));
    expect(readStoredSession(sessionStorage)).toEqual(valid);
    sessionStorage.setItem(SESSION_STORAGE_KEY, '{not json');
    expect(readStoredSession(sessionStorage)).toBeNull();
    sessionStorage.setItem(SESSION_STORAGE_KEY, JSON.stringify({ ...valid, role: 'superuser' }));
    expect(readStoredSession(sessionStorage)).toBeNull();
  });

  it('knows when a session has expired', () => {
    const session = asSession(valid);
    expect(session && isExpired(session, Date.parse('2029-12-31T23:59:59Z'))).toBe(false);
    expect(session && isExpired(session, Date.parse('2030-01-01T00:00:00Z'))).toBe(true);
  });

  it('lets analysts and admins act, and auditors only read', () => {
    expect(canActAs('analyst')).toBe(true);
    expect(canActAs('admin')).toBe(true);
    expect(canActAs('auditor')).toBe(false);
    expect(canActAs(undefined)).toBe(false);
  });

  it('only returns to in-app paths after login', () => {
    expect(safeReturnUrl('/payments/p-1')).toBe('/payments/p-1');
    expect(safeReturnUrl('//evil.example/x')).toBe('/live');
    expect(safeReturnUrl('https://evil.example')).toBe('/live');
    expect(safeReturnUrl('/login?returnUrl=/x')).toBe('/live');
    expect(safeReturnUrl(undefined)).toBe('/live');
  });
});
