import { CheckoutErrorCode, RecordLivenessVerdict, SubmitFaceProbe, TerminalEvents, internalAuthHeaders } from '@smilepay/checkout/contracts';
import { sha256Hex } from '@smilepay/shared/request-signing';
import { decodeEmbedding } from '../checkout/commands';
import { startGateway, Harness } from '../../testing/gateway-harness';
import { buildPresentation, Customer, EncodedFrame, loadCustomers } from '@smilepay/biometrics/infrastructure';
import { handshakeAuth, sessionStart, TerminalConnection } from '../../testing/terminal-client';

// The real gateway over socket.io with the real models; presentations are SYNTHETIC (testing/presentations.ts).
describe('socket checkout', () => {
  let gateway: Harness;
  let customers: Customer[];
  let genuine: EncodedFrame[];

  beforeAll(async () => {
    gateway = await startGateway();
    customers = await loadCustomers(1);
    genuine = await buildPresentation(customers[0], 'genuine', 11);
  });
  afterAll(() => gateway.close());

  it('asks for the PIN over the socket when the api needs one after the face, and pays on it', async () => {
    gateway.recorder.scripted.set('face-probe', [{ status: 200, body: { decision: 'pin_required', reason: 'shared_phone' } }]);
    const terminal = await TerminalConnection.open(gateway.url, handshakeAuth(gateway.terminals[0]));
    const pinRequest = terminal.next<{ reason: string }>(TerminalEvents.PinRequest);
    const run = await terminal.present(sessionStart(gateway.terminals[0], 'flow-pin'), genuine, '4821', 2, '583920');
    expect(await pinRequest).toMatchObject({ checkoutId: run.result.checkoutId, reason: 'shared_phone' });
    expect(await terminal.socket.emitWithAck(TerminalEvents.PinEntry, { pin: '583920' })).toMatchObject({ ok: false, code: CheckoutErrorCode.PinNotRequested });
    terminal.close();
    expect(run.result).toMatchObject({ outcome: 'authorized', liveness: 'live' });
    const posts = gateway.recorder.postsFor(run.result.checkoutId);
    expect(posts.map((p) => p.path.split('/').pop())).toEqual(['liveness', 'face-probe', 'pin']);
  });

  it('runs a genuine checkout to an authorized result, posting verdict and probe but never frame bytes', async () => {
    const terminal = await TerminalConnection.open(gateway.url, handshakeAuth(gateway.terminals[0]));
    const run = await terminal.present(sessionStart(gateway.terminals[0], 'flow-1'), genuine, '4821');
    terminal.close();

    expect(run.started).toMatchObject({ ok: true, limits: { maxFramesPerSession: 60, maxFps: 30, maxFrameBytes: 2 * 1024 * 1024 } });
    expect(run.phone).toMatchObject({ digitsRequested: 4, kind: 'last_digits' });
    expect(run.result).toMatchObject({ outcome: 'authorized', liveness: 'live', paymentId: expect.any(String) });
    expect(run.acks.filter((a) => a.ok).length).toBeGreaterThanOrEqual(5);

    const checkoutId = run.result.checkoutId;
    const posts = gateway.recorder.postsFor(checkoutId);
    expect(posts.map((p) => p.path)).toEqual([`/internal/v1/checkouts/${checkoutId}/liveness`, `/internal/v1/checkouts/${checkoutId}/face-probe`]);
    expect(posts.every((p) => p.signatureValid)).toBe(true);
    expect(posts.map((p) => p.headers[internalAuthHeaders.idempotencyKey])).toEqual([`${checkoutId}:liveness`, `${checkoutId}:face-probe`]);

    const liveness = posts[0].body as RecordLivenessVerdict;
    expect(liveness).toMatchObject({ type: 'RecordLivenessVerdict', verdict: 'live', attackSpecies: null, checkout: { amountMinor: '1250', terminalId: 't1' } });
    expect(liveness.scores['fused']).toBeGreaterThan(0.5);
    expect(liveness.modelVersions).toHaveProperty('fr_feature');
    const sent = genuine.slice(0, liveness.frames.received);
    expect(liveness.frameDigests.map((d) => d.rgbSha256)).toEqual(sent.map((f) => sha256Hex(f.rgb)));
    expect(liveness.frameDigests.map((d) => d.depthSha256)).toEqual(sent.map((f) => sha256Hex(f.depth as Buffer)));

    const probe = posts[1].body as SubmitFaceProbe;
    expect(probe).toMatchObject({ type: 'SubmitFaceProbe', livenessVerdict: 'live', phoneDigits: '4821', phoneDigitsKind: 'last_digits' });
    const embedding = decodeEmbedding(probe.embedding.data);
    expect(embedding).toHaveLength(512);
    expect(Math.hypot(...embedding)).toBeCloseTo(1, 3);
    expect(probe.quality.score).toBeGreaterThan(0.5);
    expect(probe.modelVersions['embedding']).toBe(probe.modelVersions['fr_feature']);
    expect(probe.modelVersions['embedding']).toMatch(/fr_feature/);
    expect(sent.map((f) => sha256Hex(f.rgb))).toContain(probe.probeFrame.rgbSha256);

    // No frame bytes left the gateway, in any encoding: the posts are small and contain no frame fragment.
    for (const post of posts) {
      expect(post.rawBody.length).toBeLessThan(20_000);
      for (const frame of sent) {
        const fragment = frame.rgb.subarray(frame.rgb.length / 2, frame.rgb.length / 2 + 48);
        expect(post.rawBody.includes(fragment.toString('base64'))).toBe(false);
        expect(post.rawBody.includes(fragment.toString('hex'))).toBe(false);
        expect(post.rawBody.includes(fragment)).toBe(false);
      }
    }
  });

  it('refuses frames after the session ended with session_closed, and lets the same connection start again', async () => {
    const terminal = await TerminalConnection.open(gateway.url, handshakeAuth(gateway.terminals[1]));
    const run = await terminal.present(sessionStart(gateway.terminals[1], 'flow-2'), genuine);
    expect(run.result.outcome).toBe('authorized');
    const late = await terminal.frame({ ...genuine[9], seq: 99 });
    expect(late).toMatchObject({ ok: false, code: CheckoutErrorCode.SessionClosed });
    const again = await terminal.start(sessionStart(gateway.terminals[1], 'flow-2b'));
    expect(again.ok).toBe(true);
    terminal.close();
  });

  it('refuses a second session on a busy connection and a duplicate idempotency key', async () => {
    const a = await TerminalConnection.open(gateway.url, handshakeAuth(gateway.terminals[2]));
    const b = await TerminalConnection.open(gateway.url, handshakeAuth(gateway.terminals[2]));
    expect((await a.start(sessionStart(gateway.terminals[2], 'dup'))).ok).toBe(true);
    expect(await a.start(sessionStart(gateway.terminals[2], 'other'))).toMatchObject({ ok: false, code: CheckoutErrorCode.SessionAlreadyStarted });
    expect(await b.start(sessionStart(gateway.terminals[2], 'dup'))).toMatchObject({ ok: false, code: CheckoutErrorCode.SessionDuplicate });
    a.close();
    b.close();
  });

  it('refuses a session for another terminal than the signing key (terminal_mismatch)', async () => {
    const terminal = await TerminalConnection.open(gateway.url, handshakeAuth(gateway.terminals[3]));
    expect(await terminal.start(sessionStart(gateway.terminals[0], 'stolen'))).toMatchObject({ ok: false, code: CheckoutErrorCode.TerminalMismatch });
    expect(await terminal.start({ ...sessionStart(gateway.terminals[3], 'x'), amountMinor: 12.5 } as never)).toMatchObject({
      ok: false,
      code: CheckoutErrorCode.InvalidRequest,
    });
    terminal.close();
  });
});
