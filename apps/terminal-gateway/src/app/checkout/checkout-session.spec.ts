import { CheckoutErrorCode, CheckoutResult, FrameAck, PhoneRequest, TerminalEvents } from '@smilepay/checkout/contracts';
import { Harness, startGateway } from '../../testing/gateway-harness';
import { buildPresentation, EncodedFrame, loadCustomers } from '@smilepay/biometrics/infrastructure';
import { handshakeAuth, sessionStart, TerminalConnection } from '../../testing/terminal-client';
import { CheckoutSessions } from './checkout-sessions';

// Session limits on a gateway configured with tight limits, so each limit is reached in well under a second.
describe('session limits', () => {
  let gateway: Harness;
  let genuine: EncodedFrame[];
  let noDepth: EncodedFrame[];
  const connections: TerminalConnection[] = [];

  beforeAll(async () => {
    gateway = await startGateway(
      {
        MAX_FPS: '20',
        FRAME_BURST: '2',
        MAX_QUEUED_FRAMES: '32',
        MAX_FRAMES_PER_SESSION: '8',
        MAX_BAD_FRAMES: '20',
        SESSION_DURATION_MS: '3000',
        PHONE_TIMEOUT_MS: '600',
        MAX_CONCURRENT_SESSIONS: '3',
      },
      8,
    );
    const [customer] = await loadCustomers(1);
    genuine = await buildPresentation(customer, 'genuine', 41);
    noDepth = await buildPresentation(customer, 'print_no_depth', 42);
  });
  afterAll(async () => {
    for (const c of connections) c.close();
    await gateway.close();
  });

  async function open(index: number, key: string): Promise<TerminalConnection> {
    const connection = await TerminalConnection.open(gateway.url, handshakeAuth(gateway.terminals[index]));
    connections.push(connection);
    const started = await connection.start(sessionStart(gateway.terminals[index], key));
    expect(started.ok).toBe(true);
    return connection;
  }

  const code = (ack: FrameAck) => (ack.ok ? 'ok' : ack.code);
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('refuses frames above the rate once the burst is spent (frame_rate_exceeded)', async () => {
    const terminal = await open(0, 'rate');
    const acks = await Promise.all(noDepth.slice(0, 4).map((f) => terminal.frame(f)));
    expect(acks.map(code)).toEqual(['ok', 'ok', CheckoutErrorCode.FrameRateExceeded, CheckoutErrorCode.FrameRateExceeded]);
  });

  it('refuses the frame past maxFramesPerSession and decides on the frames it has', async () => {
    const terminal = await open(1, 'frame-limit');
    const result = terminal.next<CheckoutResult>(TerminalEvents.Result);
    const acks: FrameAck[] = [];
    for (const f of noDepth.slice(0, 9)) {
      acks.push(await terminal.frame(f));
      await sleep(60);
    }
    expect(acks.map(code)).toEqual([...Array(8).fill('ok'), CheckoutErrorCode.TooManyFrames]);
    // No depth: never live, whatever else the frames show.
    expect(await result).toMatchObject({ outcome: 'liveness_failed', code: CheckoutErrorCode.LivenessInconclusive, liveness: 'inconclusive' });
  });

  it('ends a session at its deadline: a frameless one with session_expired, later frames with session_expired', async () => {
    const terminal = await open(2, 'expire');
    const result = await terminal.next<CheckoutResult>(TerminalEvents.Result, 5_000);
    expect(result).toMatchObject({ outcome: 'error', code: CheckoutErrorCode.SessionExpired });
    expect(code(await terminal.frame(genuine[0]))).toBe(CheckoutErrorCode.SessionExpired);
  });

  it('refuses sessions beyond maxConcurrentSessions with session_limit_reached, and frees a slot on disconnect', async () => {
    const sessions = gateway.app.get(CheckoutSessions);
    const base = sessions.activeCount;
    const held = [];
    for (let i = 0; i < 3 - base; i++) held.push(await open(3 + i, `hold-${i}`));
    const extra = await TerminalConnection.open(gateway.url, handshakeAuth(gateway.terminals[6]));
    connections.push(extra);
    expect(await extra.start(sessionStart(gateway.terminals[6], 'one-too-many'))).toMatchObject({ ok: false, code: CheckoutErrorCode.SessionLimitReached });
    held[0].close();
    for (let i = 0; i < 50 && sessions.activeCount >= 3; i++) await sleep(20);
    expect((await extra.start(sessionStart(gateway.terminals[6], 'now-there-is-room'))).ok).toBe(true);
    for (const h of held) h.close();
    extra.close();
    for (let i = 0; i < 50 && sessions.activeCount > 0; i++) await sleep(20);
    expect(sessions.activeCount).toBe(0);
  });

  it('ends a live session with phone_timeout when no digits come, and refuses digits that were not asked for', async () => {
    const terminal = await open(7, 'phone-timeout');
    expect(await terminal.socket.emitWithAck(TerminalEvents.PhoneDigits, { digits: '1234' })).toMatchObject({ ok: false, code: CheckoutErrorCode.PhoneNotRequested });
    const phone = terminal.next<PhoneRequest>(TerminalEvents.PhoneRequest);
    const result = terminal.next<CheckoutResult>(TerminalEvents.Result);
    for (const f of genuine) {
      const ack = await terminal.frame(f);
      if (!ack.ok) break;
      await sleep(55);
    }
    expect(await phone).toMatchObject({ digitsRequested: 4 });
    expect(await terminal.socket.emitWithAck(TerminalEvents.PhoneDigits, { digits: '12a4' })).toMatchObject({ ok: false, code: CheckoutErrorCode.PhoneDigitsInvalid });
    expect(await result).toMatchObject({ outcome: 'error', code: CheckoutErrorCode.PhoneTimeout, liveness: 'live' });
  });
});
