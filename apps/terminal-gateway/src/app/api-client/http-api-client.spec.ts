import { CheckoutErrorCode, internalAuthHeaders, RecordLivenessVerdict } from '@smilepay/checkout/contracts';
import { Secret } from '@smilepay/shared/request-signing';
import { ApiRecorder } from '../../testing/api-recorder';
import { ApiClientError } from './api-client.port';
import { HttpApiClient } from './http-api-client';

const token = 'internal-token-0123456789abcdef-0123';
const command: RecordLivenessVerdict = {
  type: 'RecordLivenessVerdict',
  checkout: { checkoutId: 'c-1', merchantId: 'm', terminalId: 't', amountMinor: '100', currency: 'EUR', terminalIdempotencyKey: 'k' },
  verdict: 'live',
  scores: { fused: 0.9 },
  attackSpecies: null,
  reasons: [],
  frames: { received: 1, analyzed: 1, dropped: 0 },
  frameDigests: [{ seq: 0, rgbSha256: 'a'.repeat(64), status: 'analyzed' }],
  modelVersions: {},
  decisionLatencyMs: 5,
  decidedAt: new Date(0).toISOString(),
};

describe('HttpApiClient', () => {
  const recorder = new ApiRecorder(token);
  let url = '';
  const client = (overrides: Partial<ConstructorParameters<typeof HttpApiClient>[0]> = {}) =>
    new HttpApiClient({ url, keyId: 'gw', token: new Secret(token), timeoutMs: 300, maxAttempts: 3, retryBaseDelayMs: 10, ...overrides });

  beforeAll(async () => {
    url = await recorder.start();
  });
  afterAll(() => recorder.stop());
  beforeEach(() => {
    recorder.posts.length = 0;
    recorder.scripted.clear();
  });

  it('posts a signed command with its idempotency key', async () => {
    await expect(client().recordLivenessVerdict(command)).resolves.toEqual({ accepted: true, phonePrompt: undefined });
    expect(recorder.posts).toHaveLength(1);
    expect(recorder.posts[0]).toMatchObject({ path: '/internal/v1/checkouts/c-1/liveness', signatureValid: true, body: command });
    expect(recorder.posts[0].headers[internalAuthHeaders.idempotencyKey]).toBe('c-1:liveness');
  });

  it('retries 5xx and timeouts with the same idempotency key, each attempt freshly signed', async () => {
    recorder.scripted.set('liveness', [{ status: 503 }, { status: 200, body: { accepted: true }, delayMs: 1_000 }]);
    await expect(client().recordLivenessVerdict(command)).resolves.toMatchObject({ accepted: true });
    expect(recorder.posts).toHaveLength(3);
    expect(new Set(recorder.posts.map((p) => p.headers[internalAuthHeaders.idempotencyKey]))).toEqual(new Set(['c-1:liveness']));
    expect(new Set(recorder.posts.map((p) => p.headers[internalAuthHeaders.nonce])).size).toBe(3);
    expect(recorder.posts.every((p) => p.signatureValid)).toBe(true);
  });

  it('gives up after maxAttempts with api_unavailable, within the time bound', async () => {
    recorder.scripted.set('liveness', [{ status: 500 }, { status: 502 }, { status: 503 }, { status: 200, body: {} }]);
    const started = Date.now();
    const error = await client().recordLivenessVerdict(command).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiClientError);
    expect(error).toMatchObject({ code: CheckoutErrorCode.ApiUnavailable, attempts: 3 });
    expect(recorder.posts).toHaveLength(3);
    expect(Date.now() - started).toBeLessThan(3 * 300 + 100);
  });

  it('does not retry a 4xx refusal', async () => {
    recorder.scripted.set('face-probe', [{ status: 422, body: { code: 'bad' } }]);
    const probe = { ...command, type: 'SubmitFaceProbe' } as never;
    await expect(client().submitFaceProbe(probe)).rejects.toMatchObject({ code: CheckoutErrorCode.ApiRejected, status: 422 });
    expect(recorder.posts).toHaveLength(1);
  });

  it('fails fast with api_unavailable when nothing listens', async () => {
    const error = await client({ url: 'http://127.0.0.1:9', maxAttempts: 2 }).recordLivenessVerdict(command).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: CheckoutErrorCode.ApiUnavailable, attempts: 2 });
  });

  it('passes on a phone prompt chosen by the api and ignores a nonsensical one', async () => {
    recorder.scripted.set('liveness', [
      { status: 200, body: { accepted: true, phonePrompt: { digitsRequested: 11, kind: 'full_number' } } },
      { status: 200, body: { accepted: true, phonePrompt: { digitsRequested: 99 } } },
    ]);
    await expect(client().recordLivenessVerdict(command)).resolves.toEqual({ accepted: true, phonePrompt: { digitsRequested: 11, kind: 'full_number' } });
    await expect(client().recordLivenessVerdict(command)).resolves.toEqual({ accepted: true, phonePrompt: undefined });
  });
});
