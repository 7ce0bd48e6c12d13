import { CheckoutErrorCode, CheckoutHttpDone, checkoutHttpPaths, CheckoutResult, FrameAck, TerminalEvents } from '@smilepay/checkout/contracts';
import { badFrames } from '../../testing/bad-frames';
import { Harness, startGateway } from '../../testing/gateway-harness';
import { buildPresentation, Customer, EncodedFrame, loadCustomers } from '@smilepay/biometrics/infrastructure';
import { handshakeAuth, sessionStart, TerminalConnection, terminalFetch } from '../../testing/terminal-client';
import { TransportErrorEvent } from './terminal-io.adapter';

// Each bad input gets its own code while another terminal's genuine checkout goes through on the same gateway.
describe('bad input, while a genuine checkout runs alongside', () => {
  let gateway: Harness;
  let customers: Customer[];
  let genuine: EncodedFrame[];
  let bad: Awaited<ReturnType<typeof badFrames>>;

  beforeAll(async () => {
    gateway = await startGateway({}, 6);
    customers = await loadCustomers(2);
    genuine = await buildPresentation(customers[0], 'genuine', 21);
    bad = await badFrames(customers, genuine[0]);
  });
  afterAll(() => gateway.close());

  /** Opens a session on its own terminal and sends one frame; returns the frame's ack. */
  async function oneFrame(terminalIndex: number, key: string, frame: Partial<EncodedFrame>): Promise<FrameAck> {
    const terminal = await TerminalConnection.open(gateway.url, handshakeAuth(gateway.terminals[terminalIndex]));
    try {
      expect((await terminal.start(sessionStart(gateway.terminals[terminalIndex], key))).ok).toBe(true);
      return await terminal.frame({ seq: 0, capturedAtMs: 0, rgb: genuine[0].rgb, ...frame } as EncodedFrame);
    } finally {
      terminal.close();
    }
  }

  it('answers every bad frame with its specific code and still authorizes the genuine customer', async () => {
    const customer = await TerminalConnection.open(gateway.url, handshakeAuth(gateway.terminals[0]));
    const genuineRun = customer.present(sessionStart(gateway.terminals[0], 'genuine-alongside'), genuine);
    const cases: Array<[string, Partial<EncodedFrame>, CheckoutErrorCode]> = [
      ['corrupt JPEG header', { rgb: bad.corruptJpeg }, CheckoutErrorCode.FrameCorrupt],
      ['truncated JPEG', { rgb: bad.truncatedJpeg }, CheckoutErrorCode.FrameCorrupt],
      ['truncated PNG', { rgb: bad.truncatedPng }, CheckoutErrorCode.FrameCorrupt],
      ['not an image', { rgb: bad.notAnImage }, CheckoutErrorCode.FrameUnsupportedFormat],
      ['32x32 frame', { rgb: bad.tinyJpeg }, CheckoutErrorCode.FrameBadDimensions],
      ['depth of another size', { depth: bad.smallDepth }, CheckoutErrorCode.DepthMismatch],
      ['8-bit depth', { depth: bad.eightBitDepth }, CheckoutErrorCode.FrameUnsupportedFormat],
      ['3 MB frame', { rgb: bad.threeMegabytes }, CheckoutErrorCode.FrameTooLarge],
      ['no face', { rgb: bad.noFace }, CheckoutErrorCode.NoFace],
      ['two faces', { rgb: bad.twoFaces }, CheckoutErrorCode.MultipleFaces],
    ];
    const acks = [];
    for (const [index, [name, frame]] of cases.entries()) acks.push([name, await oneFrame(1 + (index % 5), `bad-${index}`, frame)] as const);
    for (const [index, [name, ack]] of acks.entries()) {
      expect({ name, code: ack.ok ? 'ok' : ack.code }).toEqual({ name, code: cases[index][2] });
    }
    expect((await genuineRun).result).toMatchObject({ outcome: 'authorized', liveness: 'live' });
    customer.close();
  });

  it('answers a 50 MB socket frame with frame_too_large before closing that connection (1009), while the genuine customer pays', async () => {
    const customer = await TerminalConnection.open(gateway.url, handshakeAuth(gateway.terminals[0]));
    const genuineRun = customer.present(sessionStart(gateway.terminals[0], 'genuine-50mb'), genuine);
    const attacker = await TerminalConnection.open(gateway.url, handshakeAuth(gateway.terminals[1]));
    expect((await attacker.start(sessionStart(gateway.terminals[1], 'huge'))).ok).toBe(true);
    const events: string[] = [];
    const notice = new Promise<unknown>((resolve) =>
      attacker.socket.once(TransportErrorEvent, (body: unknown) => {
        events.push('transport.error');
        resolve(body);
      }),
    );
    const closed = new Promise<{ reason: string; code?: number; closeReason?: string }>((resolve) =>
      attacker.socket.once('disconnect', (reason, details) => {
        events.push('disconnect');
        const context = (details as { context?: { code?: number; reason?: string } })?.context;
        resolve({ reason, code: context?.code, closeReason: context?.reason?.toString() });
      }),
    );
    attacker.socket.emit(TerminalEvents.Frame, { seq: 0, capturedAtMs: 0, rgb: bad.fiftyMegabytes });
    expect(await notice).toEqual({ code: CheckoutErrorCode.FrameTooLarge, message: expect.stringContaining('at most'), maxMessageBytes: expect.any(Number) });
    expect(await closed).toEqual({ reason: 'transport close', code: 1009, closeReason: CheckoutErrorCode.FrameTooLarge });
    // The code arrives before the close, on the same stream.
    expect(events).toEqual(['transport.error', 'disconnect']);
    expect((await genuineRun).result.outcome).toBe('authorized');
    await waitFor(() => gateway.logger.lines.some((l) => l.includes('terminal t2 disconnected') && l.includes(CheckoutErrorCode.FrameTooLarge)));
    // The gateway still serves this terminal: a new connection opens a new session.
    const again = await TerminalConnection.open(gateway.url, handshakeAuth(gateway.terminals[1]));
    expect((await again.start(sessionStart(gateway.terminals[1], 'after-huge'))).ok).toBe(true);
    again.close();
  });

  it('refuses a 50 MB HTTP body with 413 body_too_large without reading it', async () => {
    const response = await terminalFetch(gateway.url, gateway.terminals[2], checkoutHttpPaths.sessions, bad.fiftyMegabytes).catch((error: Error) => ({ status: 0, body: error.message }));
    expect(response).toEqual({ status: 413, body: { code: CheckoutErrorCode.BodyTooLarge, message: expect.any(String) } });
  });

  it('answers a flood with frame_flood instead of queueing, and ends a session that keeps flooding', async () => {
    const terminal = await TerminalConnection.open(gateway.url, handshakeAuth(gateway.terminals[3]));
    expect((await terminal.start(sessionStart(gateway.terminals[3], 'flood'))).ok).toBe(true);
    const result = terminal.next<CheckoutResult>(TerminalEvents.Result);
    const flood = Array.from({ length: 30 }, (_, seq) => terminal.frame({ ...genuine[seq % 3], seq, capturedAtMs: seq * 30 }));
    const codes = (await Promise.all(flood)).map((a) => (a.ok ? 'ok' : a.code));
    // One frame in analysis plus maxQueuedFrames (4) waiting are admitted; the next ones are refused at once.
    expect(codes.slice(5, 16)).toEqual(Array(11).fill(CheckoutErrorCode.FrameFlood));
    // More than maxBadFrames (10) refusals end the session; the frames still queued or sent later are not analysed.
    expect(await result).toMatchObject({ outcome: 'error', code: CheckoutErrorCode.TooManyBadFrames });
    expect(codes.slice(16)).toEqual(Array(14).fill(CheckoutErrorCode.SessionClosed));
    expect(codes.filter((c) => c === 'ok').length).toBeLessThanOrEqual(5);
    terminal.close();
  });

  it('answers frames before session.start with session_not_started and malformed frames with invalid_request', async () => {
    const terminal = await TerminalConnection.open(gateway.url, handshakeAuth(gateway.terminals[4]));
    expect(await terminal.frame(genuine[0])).toMatchObject({ ok: false, code: CheckoutErrorCode.SessionNotStarted });
    expect((await terminal.start(sessionStart(gateway.terminals[4], 'malformed'))).ok).toBe(true);
    const asText = await terminal.socket.timeout(5000).emitWithAck(TerminalEvents.Frame, { seq: 0, capturedAtMs: 0, rgb: genuine[0].rgb.toString('base64') });
    expect(asText).toMatchObject({ ok: false, code: CheckoutErrorCode.InvalidRequest });
    expect(await terminal.frame({ ...genuine[0], seq: -3 })).toMatchObject({ ok: false, code: CheckoutErrorCode.InvalidRequest });
    terminal.close();
  });

  it('gives the HTTP route the same codes per frame and ends a session without a usable frame', async () => {
    const frames = [
      { seq: 0, capturedAtMs: 0, rgbBase64: bad.truncatedJpeg.toString('base64') },
      { seq: 1, capturedAtMs: 100, rgbBase64: bad.noFace.toString('base64') },
      { seq: 2, capturedAtMs: 200, rgbBase64: genuine[0].rgb.toString('base64'), depthBase64: bad.smallDepth.toString('base64') },
    ];
    const body = JSON.stringify({ session: sessionStart(gateway.terminals[5], 'http-bad'), frames });
    const response = await terminalFetch(gateway.url, gateway.terminals[5], checkoutHttpPaths.sessions, body);
    expect(response.status).toBe(200);
    const done = response.body as CheckoutHttpDone;
    expect(done.frames.map((f) => (f.ok ? 'ok' : f.code))).toEqual([CheckoutErrorCode.FrameCorrupt, CheckoutErrorCode.NoFace, CheckoutErrorCode.DepthMismatch]);
    expect(done.result).toMatchObject({ outcome: 'error', code: CheckoutErrorCode.NoUsableFrames });
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
