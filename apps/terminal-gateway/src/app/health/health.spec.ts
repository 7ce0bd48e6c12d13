import { Harness, startGateway } from '../../testing/gateway-harness';

// Terminus probes on the real gateway (real models on the main thread) with a real HTTP listener as the api.
describe('GET /health/live and /health/ready', () => {
  let gateway: Harness;

  beforeAll(async () => {
    gateway = await startGateway();
  });
  afterAll(() => gateway.close());

  const get = async (path: string) => {
    const response = await fetch(gateway.url + path);
    return { status: response.status, body: (await response.json()) as { status: string; info?: object; error?: object } };
  };

  it('is live and ready when the models are loaded and the api answers', async () => {
    expect(await get('/health/live')).toEqual({ status: 200, body: expect.objectContaining({ status: 'ok' }) });
    const ready = await get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ok', info: { models: { status: 'up' }, api: { status: 'up' } } });
  });

  it('is still live but not ready once the api cannot be reached', async () => {
    await gateway.recorder.stop();
    const ready = await get('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ status: 'error', info: { models: { status: 'up' } }, error: { api: { status: 'down' } } });
    expect((await get('/health/live')).status).toBe(200);
  });
});
