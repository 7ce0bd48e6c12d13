import { CheckoutErrorCode, checkoutHttpPaths, terminalAuthHeaders } from '@smilepay/checkout/contracts';
import { signRequest, signatureHeaders } from '@smilepay/shared/request-signing';
import { Harness, startGateway } from '../../testing/gateway-harness';
import { handshakeAuth, sessionStart, TerminalConnection } from '../../testing/terminal-client';

const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

jest.setTimeout(60_000);

/**
 * Two real gateways behind one (imaginary) load balancer, sharing the local Redis: a signed terminal request or
 * socket handshake captured on its way to one gateway is refused by the other.
 */
describe('two gateways sharing nonces through Redis', () => {
  let first: Harness;
  let second: Harness;

  beforeAll(async () => {
    first = await startGateway({ REDIS_URL });
    second = await startGateway({ REDIS_URL });
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  it('refuses on the second gateway an HTTP request the first one served', async () => {
    const t = first.terminals[0];
    const payload = JSON.stringify({ session: sessionStart(t, 'shared-nonce-http'), frames: [] });
    const headers = { ...signatureHeaders(terminalAuthHeaders, signRequest(t.keyId, Buffer.from(t.secret), 'POST', checkoutHttpPaths.sessions, payload)), 'content-type': 'application/json' };
    const post = async (gateway: Harness) => {
      const response = await fetch(`${gateway.url}${checkoutHttpPaths.sessions}`, { method: 'POST', headers, body: payload });
      return { status: response.status, body: await response.json() };
    };
    expect(await post(first)).toMatchObject({ status: 200, body: { result: { code: CheckoutErrorCode.NoUsableFrames } } });
    expect(await post(second)).toMatchObject({ status: 401, body: { code: CheckoutErrorCode.AuthReplayedNonce } });
  });

  it('refuses on the second gateway a socket handshake the first one accepted', async () => {
    const auth = handshakeAuth(first.terminals[1]);
    const connection = await TerminalConnection.open(first.url, auth);
    try {
      const refused = await TerminalConnection.open(second.url, auth).then(
        (c) => (c.close(), undefined),
        (e: Error & { data?: { code: string } }) => e.data?.code,
      );
      expect(refused).toBe(CheckoutErrorCode.AuthReplayedNonce);
    } finally {
      connection.close();
    }
  });
});
