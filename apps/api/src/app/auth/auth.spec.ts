import { startTestApi, type TestApi } from '../../testing/test-api';

describe('api authentication and request hygiene', () => {
  let api: TestApi;
  let base: string;

  beforeAll(async () => {
    api = await startTestApi();
    base = api.base;
  });

  afterAll(async () => api.close());

  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(base + path, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

  it('logs a known user in with their role', async () => {
    const response = await post('/v1/auth/login', JSON.stringify({ username: 'analyst', password: 'analyst' }));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ role: 'analyst', username: 'analyst', token: expect.any(String) });
  });

  it('refuses a wrong password with a code', async () => {
    const response = await post('/v1/auth/login', JSON.stringify({ username: 'analyst', password: 'nope' }));
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ code: 'bad_credentials', message: expect.any(String), details: {} });
  });

  it('refuses unknown fields instead of ignoring them', async () => {
    const response = await post('/v1/auth/login', JSON.stringify({ username: 'analyst', password: 'analyst', role: 'admin' }));
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.code).toBe('invalid_request');
    expect(JSON.stringify(body.details)).toContain('role should not exist');
  });

  it('refuses malformed and oversize bodies with their own codes', async () => {
    expect(await (await post('/v1/auth/login', '{"username":')).json()).toMatchObject({ code: 'body_malformed' });
    const huge = JSON.stringify({ username: 'x'.repeat(300 * 1024), password: 'y' });
    const response = await post('/v1/auth/login', huge);
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ code: 'body_too_large' });
  });

  it('serves liveness without a token', async () => {
    expect((await fetch(base + '/health/live')).status).toBe(200);
  });
});
