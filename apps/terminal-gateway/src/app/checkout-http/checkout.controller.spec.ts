import {
  CheckoutErrorCode,
  CheckoutHttpDone,
  CheckoutHttpPending,
  CheckoutHttpPinPending,
  checkoutHttpPaths,
  CheckoutResult,
  RecordLivenessVerdict,
} from '@smilepay/checkout/contracts';
import { Harness, startGateway } from '../../testing/gateway-harness';
import { buildPresentation, Customer, EncodedFrame, loadCustomers } from '@smilepay/biometrics/infrastructure';
import { sessionStart, terminalFetch } from '../../testing/terminal-client';

// The HTTP route for terminals without websockets, on the real gateway and models (SYNTHETIC presentations).
describe('POST /v1/checkout-sessions', () => {
  let gateway: Harness;
  let customers: Customer[];
  let genuine: EncodedFrame[];

  beforeAll(async () => {
    gateway = await startGateway({ PHONE_FULL_NUMBER_FROM_MINOR: '50000' });
    customers = await loadCustomers(1);
    genuine = await buildPresentation(customers[0], 'genuine', 31);
  });
  afterAll(() => gateway.close());

  const json = (session: object, frames: EncodedFrame[]) =>
    JSON.stringify({
      session,
      frames: frames.map((f) => ({ seq: f.seq, capturedAtMs: f.capturedAtMs, rgbBase64: f.rgb.toString('base64'), ...(f.depth ? { depthBase64: f.depth.toString('base64') } : {}) })),
    });

  function multipart(session: object, frames: EncodedFrame[]): { body: Buffer; contentType: string } {
    const boundary = 'smilepay-test-boundary-7f3a';
    const parts: Buffer[] = [];
    const part = (name: string, data: Buffer | string, filename?: string) =>
      parts.push(
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"${filename ? `; filename="${filename}"` : ''}\r\n\r\n`),
        Buffer.from(data),
        Buffer.from('\r\n'),
      );
    part('session', JSON.stringify(session));
    part('capturedAtMs', JSON.stringify(frames.map((f) => f.capturedAtMs)));
    for (const f of frames) {
      part(`frame.${f.seq}.rgb`, f.rgb, `${f.seq}.jpg`);
      if (f.depth) part(`frame.${f.seq}.depth`, f.depth, `${f.seq}.png`);
    }
    parts.push(Buffer.from(`--${boundary}--\r\n`));
    return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
  }

  it('takes a JSON body with base64 frames: 202 with a phone prompt, then 200 authorized after the digits', async () => {
    const terminal = gateway.terminals[0];
    const started = await terminalFetch(gateway.url, terminal, checkoutHttpPaths.sessions, json(sessionStart(terminal, 'http-json'), genuine));
    expect(started.status).toBe(202);
    const pending = started.body as CheckoutHttpPending;
    expect(pending.phoneRequest).toMatchObject({ digitsRequested: 4, kind: 'last_digits' });
    // Every frame has an ack: analysed ones until the verdict was conclusive, session_closed after.
    expect(pending.frames.map((f) => f.seq)).toEqual(genuine.map((f) => f.seq));

    const wrong = await terminalFetch(gateway.url, terminal, checkoutHttpPaths.phoneDigits(pending.checkoutId), JSON.stringify({ digits: '12' }));
    expect(wrong).toMatchObject({ status: 400, body: { code: CheckoutErrorCode.PhoneDigitsInvalid } });
    const other = await terminalFetch(gateway.url, gateway.terminals[1], checkoutHttpPaths.phoneDigits(pending.checkoutId), JSON.stringify({ digits: '1234' }));
    expect(other).toMatchObject({ status: 404, body: { code: CheckoutErrorCode.SessionNotFound } });

    const done = await terminalFetch(gateway.url, terminal, checkoutHttpPaths.phoneDigits(pending.checkoutId), JSON.stringify({ digits: '9051' }));
    expect(done.status).toBe(200);
    expect(done.body as CheckoutResult).toMatchObject({ checkoutId: pending.checkoutId, outcome: 'authorized', liveness: 'live' });
    const again = await terminalFetch(gateway.url, terminal, checkoutHttpPaths.phoneDigits(pending.checkoutId), JSON.stringify({ digits: '9051' }));
    expect(again).toMatchObject({ status: 404, body: { code: CheckoutErrorCode.SessionNotFound } });
  });

  it('takes multipart with binary frames and asks for the full number above the amount threshold', async () => {
    const terminal = gateway.terminals[1];
    const { body, contentType } = multipart({ ...sessionStart(terminal, 'http-multipart'), amountMinor: '75000' }, genuine);
    const started = await terminalFetch(gateway.url, terminal, checkoutHttpPaths.sessions, body, { contentType });
    expect(started.status).toBe(202);
    expect((started.body as CheckoutHttpPending).phoneRequest).toMatchObject({ digitsRequested: 11, kind: 'full_number' });
    const done = await terminalFetch(gateway.url, terminal, checkoutHttpPaths.phoneDigits((started.body as CheckoutHttpPending).checkoutId), JSON.stringify({ digits: '13800138000' }));
    expect(done.body).toMatchObject({ outcome: 'authorized' });
  });

  it('answers a print attack with 200 liveness_failed, no phone prompt, and reports the species to the api only', async () => {
    const terminal = gateway.terminals[2];
    const attack = await buildPresentation(customers[0], 'print', 32);
    const response = await terminalFetch(gateway.url, terminal, checkoutHttpPaths.sessions, json(sessionStart(terminal, 'http-print'), attack));
    expect(response.status).toBe(200);
    const { result } = response.body as CheckoutHttpDone;
    expect(result).toMatchObject({ outcome: 'liveness_failed', code: CheckoutErrorCode.LivenessSpoof, liveness: 'spoof' });
    expect(JSON.stringify(response.body)).not.toMatch(/print|depth_planar/);
    const posts = gateway.recorder.postsFor(result.checkoutId);
    expect(posts.map((p) => p.path.split('/').pop())).toEqual(['liveness']);
    expect(posts[0].body as RecordLivenessVerdict).toMatchObject({ verdict: 'spoof', attackSpecies: 'print' });
  });

  it('reports api_unavailable when the api keeps failing, after the bounded retries', async () => {
    const terminal = gateway.terminals[3];
    gateway.recorder.scripted.set('liveness', [{ status: 503 }, { status: 503 }, { status: 503 }]);
    const response = await terminalFetch(gateway.url, terminal, checkoutHttpPaths.sessions, json(sessionStart(terminal, 'http-api-down'), genuine));
    expect(response.status).toBe(200);
    expect((response.body as CheckoutHttpDone).result).toMatchObject({ outcome: 'error', code: CheckoutErrorCode.ApiUnavailable, liveness: 'live' });
    const posts = gateway.recorder.postsFor((response.body as CheckoutHttpDone).result.checkoutId);
    expect(posts).toHaveLength(3);
  });

  it('ends a live checkout the api does not accept as declined (api_rejected), without asking for digits', async () => {
    const terminal = gateway.terminals[3];
    gateway.recorder.scripted.set('liveness', [{ status: 200, body: { accepted: false } }]);
    const response = await terminalFetch(gateway.url, terminal, checkoutHttpPaths.sessions, json(sessionStart(terminal, 'http-not-accepted'), genuine));
    expect(response.status).toBe(200);
    expect((response.body as CheckoutHttpDone).result).toMatchObject({ outcome: 'declined', code: CheckoutErrorCode.ApiRejected, liveness: 'live' });
  });

  it('asks for the PIN when the api needs it after the face (202), then answers 200 after the PIN, never logging it', async () => {
    const terminal = gateway.terminals[0];
    gateway.recorder.scripted.set('face-probe', [{ status: 200, body: { decision: 'pin_required', reason: 'face_too_close' } }]);
    const started = await terminalFetch(gateway.url, terminal, checkoutHttpPaths.sessions, json(sessionStart(terminal, 'http-pin'), genuine));
    expect(started.status).toBe(202);
    const { checkoutId } = started.body as CheckoutHttpPending;
    const asked = await terminalFetch(gateway.url, terminal, checkoutHttpPaths.phoneDigits(checkoutId), JSON.stringify({ digits: '9051' }));
    expect(asked.status).toBe(202);
    expect((asked.body as CheckoutHttpPinPending).pinRequest).toMatchObject({ checkoutId, reason: 'face_too_close' });
    const malformed = await terminalFetch(gateway.url, terminal, checkoutHttpPaths.pin(checkoutId), JSON.stringify({ pin: '12' }));
    expect(malformed).toMatchObject({ status: 400, body: { code: CheckoutErrorCode.PinInvalid } });
    const done = await terminalFetch(gateway.url, terminal, checkoutHttpPaths.pin(checkoutId), JSON.stringify({ pin: '583920' }));
    expect(done).toMatchObject({ status: 200, body: { checkoutId, outcome: 'authorized', liveness: 'live' } });
    const posts = gateway.recorder.postsFor(checkoutId);
    expect(posts.map((p) => p.path.split('/').pop())).toEqual(['liveness', 'face-probe', 'pin']);
    expect(posts[2]).toMatchObject({ signatureValid: true, body: { type: 'SubmitPin', pin: '583920', checkout: { checkoutId } } });
    expect(gateway.logger.lines.join('\n')).not.toContain('583920');
  });

  it('refuses a PIN nobody asked for', async () => {
    const terminal = gateway.terminals[1];
    const started = await terminalFetch(gateway.url, terminal, checkoutHttpPaths.sessions, json(sessionStart(terminal, 'http-pin-early'), genuine));
    const { checkoutId } = started.body as CheckoutHttpPending;
    const early = await terminalFetch(gateway.url, terminal, checkoutHttpPaths.pin(checkoutId), JSON.stringify({ pin: '583920' }));
    expect(early).toMatchObject({ status: 409, body: { code: CheckoutErrorCode.PinNotRequested } });
    await terminalFetch(gateway.url, terminal, checkoutHttpPaths.phoneDigits(checkoutId), JSON.stringify({ digits: '9051' }));
  });

  it('passes on the fallback the api offers after a decline', async () => {
    const terminal = gateway.terminals[2];
    gateway.recorder.scripted.set('face-probe', [{ status: 200, body: { decision: 'declined', reason: 'no_match', fallback: 'phone_pin' } }]);
    const started = await terminalFetch(gateway.url, terminal, checkoutHttpPaths.sessions, json(sessionStart(terminal, 'http-fallback'), genuine));
    const done = await terminalFetch(gateway.url, terminal, checkoutHttpPaths.phoneDigits((started.body as CheckoutHttpPending).checkoutId), JSON.stringify({ digits: '9051' }));
    expect(done).toMatchObject({ status: 200, body: { outcome: 'declined', code: 'no_match', fallback: 'phone_pin' } });
  });

  describe('POST /v1/pin-checkouts (phone + PIN, no face)', () => {
    const request = (terminal = gateway.terminals[3], overrides: object = {}) =>
      JSON.stringify({ session: sessionStart(terminal, `pin-${Math.random()}`), phoneNumber: '+8613800138000', pin: '583920', ...overrides });

    it('answers with the result and sends the api one signed StartPinCheckout', async () => {
      const response = await terminalFetch(gateway.url, gateway.terminals[3], checkoutHttpPaths.pinCheckouts, request());
      expect(response).toMatchObject({ status: 200, body: { outcome: 'authorized', liveness: null } });
      const [post] = gateway.recorder.postsFor((response.body as CheckoutResult).checkoutId);
      expect(post).toMatchObject({ signatureValid: true, body: { type: 'StartPinCheckout', phoneNumber: '+8613800138000', pin: '583920' } });
    });

    it.each([
      ['a 4-digit PIN', { pin: '1234' }, 400, CheckoutErrorCode.InvalidRequest],
      ['a partial phone number', { phoneNumber: '9051' }, 400, CheckoutErrorCode.InvalidRequest],
      ['an unknown field', { remember: true }, 400, CheckoutErrorCode.InvalidRequest],
    ])('refuses %s without calling the api', async (_name, overrides, status, code) => {
      const before = gateway.recorder.posts.length;
      const response = await terminalFetch(gateway.url, gateway.terminals[3], checkoutHttpPaths.pinCheckouts, request(gateway.terminals[3], overrides));
      expect(response).toMatchObject({ status, body: { code } });
      expect(gateway.recorder.posts.length).toBe(before);
    });

    it('refuses a checkout in another terminal\'s name', async () => {
      const response = await terminalFetch(gateway.url, gateway.terminals[3], checkoutHttpPaths.pinCheckouts, request(gateway.terminals[0]));
      expect(response).toMatchObject({ status: 403, body: { code: CheckoutErrorCode.TerminalMismatch } });
    });
  });

  it.each([
    ['an unknown content type', 'text/plain', 'x', 415, CheckoutErrorCode.UnsupportedMediaType],
    ['malformed JSON', 'application/json', '{"session":', 400, CheckoutErrorCode.InvalidRequest],
    ['a session with a number amount', 'application/json', JSON.stringify({ session: { amountMinor: 5 }, frames: [] }), 400, CheckoutErrorCode.InvalidRequest],
  ])('refuses %s', async (_name, contentType, body, status, code) => {
    const response = await terminalFetch(gateway.url, gateway.terminals[3], checkoutHttpPaths.sessions, body, { contentType });
    expect(response).toMatchObject({ status, body: { code } });
  });
});
