import { CheckoutErrorCode, checkoutHttpPaths, internalAuthHeaders, terminalAuthHeaders } from '@smilepay/checkout/contracts';
import { signRequest, signatureHeaders } from '@smilepay/shared/request-signing';
import { Harness, internalToken, startGateway } from '../../testing/gateway-harness';
import { handshakeAuth, sessionStart, TerminalConnection, terminalFetch } from '../../testing/terminal-client';

// Terminal signatures on the real gateway: HTTP requests and socket.io handshakes share one verifier and nonce store.
describe('terminal authentication', () => {
  let gateway: Harness;
  const body = () => JSON.stringify({ session: sessionStart(gateway.terminals[0], 'auth-test'), frames: [] });

  beforeAll(async () => {
    gateway = await startGateway();
  });
  afterAll(() => gateway.close());

  async function rawPost(headers: Record<string, string>, payload: string) {
    const response = await fetch(`${gateway.url}${checkoutHttpPaths.sessions}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: payload });
    return { status: response.status, body: await response.json() };
  }

  it('lets a signed request through to the route (an empty frame list ends in no_usable_frames)', async () => {
    const response = await terminalFetch(gateway.url, gateway.terminals[0], checkoutHttpPaths.sessions, body());
    expect(response).toMatchObject({ status: 200, body: { result: { outcome: 'error', code: CheckoutErrorCode.NoUsableFrames } } });
  });

  it('refuses unsigned, stale, future, tampered, replayed and unknown-key requests with 401 and a specific code', async () => {
    const t = gateway.terminals[0];
    const payload = body();
    const fresh = () => signatureHeaders(terminalAuthHeaders, signRequest(t.keyId, Buffer.from(t.secret), 'POST', checkoutHttpPaths.sessions, payload));
    expect(await rawPost({}, payload)).toMatchObject({ status: 401, body: { code: CheckoutErrorCode.AuthMissing } });
    const stale = await terminalFetch(gateway.url, t, checkoutHttpPaths.sessions, payload, { atMs: Date.now() - 31_000 });
    expect(stale).toMatchObject({ status: 401, body: { code: CheckoutErrorCode.AuthStaleTimestamp } });
    const future = await terminalFetch(gateway.url, t, checkoutHttpPaths.sessions, payload, { atMs: Date.now() + 31_000 });
    expect(future).toMatchObject({ status: 401, body: { code: CheckoutErrorCode.AuthStaleTimestamp } });
    expect(await rawPost(fresh(), payload.replace('1250', '9999'))).toMatchObject({ status: 401, body: { code: CheckoutErrorCode.AuthBadSignature } });
    const once = fresh();
    expect((await rawPost(once, payload)).status).toBe(200);
    expect(await rawPost(once, payload)).toMatchObject({ status: 401, body: { code: CheckoutErrorCode.AuthReplayedNonce } });
    expect(await rawPost({ ...fresh(), [terminalAuthHeaders.keyId]: 'key-nobody' }, payload)).toMatchObject({ status: 401, body: { code: CheckoutErrorCode.AuthUnknownKey } });
    expect(await rawPost({ ...fresh(), [terminalAuthHeaders.signature]: 'zz' }, payload)).toMatchObject({ status: 401, body: { code: CheckoutErrorCode.AuthMalformed } });
  });

  it('checks the socket handshake the same way', async () => {
    const t = gateway.terminals[1];
    const refusal = async (auth: object) => {
      const error = await TerminalConnection.open(gateway.url, auth).then(
        (c) => (c.close(), null),
        (e: Error & { data?: { code: string } }) => e,
      );
      return error?.data?.code;
    };
    expect(await refusal({})).toBe(CheckoutErrorCode.AuthMissing);
    expect(await refusal(handshakeAuth(t, Date.now() - 60_000))).toBe(CheckoutErrorCode.AuthStaleTimestamp);
    expect(await refusal({ ...handshakeAuth(t), signature: handshakeAuth(gateway.terminals[2]).signature })).toBe(CheckoutErrorCode.AuthBadSignature);
    const auth = handshakeAuth(t);
    const connection = await TerminalConnection.open(gateway.url, auth);
    expect(await refusal(auth)).toBe(CheckoutErrorCode.AuthReplayedNonce);
    connection.close();
  });

  it('guards the stats endpoint with the internal token, not a terminal key', async () => {
    const path = '/internal/v1/stats';
    const get = (headers: Record<string, string>) => fetch(`${gateway.url}${path}`, { headers }).then(async (r) => ({ status: r.status, body: await r.json() }));
    const t = gateway.terminals[0];
    const asTerminal = signatureHeaders(internalAuthHeaders, signRequest(t.keyId, Buffer.from(t.secret), 'GET', path, ''));
    expect(await get(asTerminal)).toMatchObject({ status: 401, body: { code: CheckoutErrorCode.AuthUnknownKey } });
    const internal = signatureHeaders(internalAuthHeaders, signRequest('gateway', Buffer.from(internalToken), 'GET', path, ''));
    const stats = await get(internal);
    expect(stats.status).toBe(200);
    expect(stats.body.counters['auth.auth_replayed_nonce']).toBeGreaterThanOrEqual(1);
  });

  it('logs each refusal with its code and key id, never a secret or a signature', async () => {
    const t = gateway.terminals[3];
    const signed = signRequest(t.keyId, Buffer.from(t.secret), 'POST', checkoutHttpPaths.sessions, 'x');
    await rawPost(signatureHeaders(terminalAuthHeaders, signed), 'tampered');
    const logged = gateway.logger.lines.join('\n');
    expect(logged).toMatch(new RegExp(`${CheckoutErrorCode.AuthBadSignature} \\(key ${t.keyId}\\)`));
    for (const terminal of gateway.terminals) expect(logged).not.toContain(terminal.secret);
    expect(logged).not.toContain(signed.signature);
  });
});
