import { createHash } from 'node:crypto';
import type { LoggerService } from '@nestjs/common';
import type { LivenessVerdict } from '@smilepay/biometrics/domain';
import {
  CheckoutContext,
  CheckoutErrorCode,
  CheckoutResult,
  FrameAck,
  FrameDigest,
  PaymentDecisionReply,
  PhoneDigitsAck,
  PhoneRequest,
  PinEntryAck,
  PinRequest,
  SessionLimits,
  validatePhoneDigits,
  validatePinAnswer,
} from '@smilepay/checkout/contracts';
import { ApiClient, ApiClientError } from '../api-client/api-client.port';
import { BoundedLimiter } from '../common/bounded-limiter';
import { TokenBucket } from '../common/token-bucket';
import type { SessionLimitsConfig } from '../config/gateway-config';
import type { StageStats } from '../metrics/stage-stats';
import { FrameAnalyzer, FrameBytes, FrameRejected } from './frame-analyzer.port';
import { EvidencePolicy, LivenessEvidence } from './liveness-evidence';
import { buildFaceProbe, buildLivenessCommand } from './commands';
import type { PhonePrompt } from './phone-rule';

export interface IncomingFrame extends FrameBytes {
  seq: number;
  capturedAtMs: number;
}

/** What a transport (socket or HTTP) hears from a session. */
export interface SessionListener {
  captureComplete(reason: CaptureEndReason): void;
  phoneRequest(request: PhoneRequest): void;
  pinRequest(request: PinRequest): void;
  result(result: CheckoutResult): void;
}

export interface SessionDeps {
  limits: SessionLimitsConfig;
  analyzer: FrameAnalyzer;
  analysisLimiter: BoundedLimiter;
  api: ApiClient;
  policy: EvidencePolicy;
  phonePrompt: (context: CheckoutContext) => PhonePrompt;
  stats: StageStats;
  logger: LoggerService;
  now?: () => number;
}

export type CaptureEndReason = 'terminal' | 'conclusive' | 'expired' | 'frame_limit' | 'too_many_bad_frames';
type FrameRefusal = Extract<FrameAck, { ok: false }>;
type State = 'capturing' | 'deciding' | 'awaiting_phone' | 'submitting' | 'awaiting_pin' | 'done';

/**
 * One checkout, from session.start to result. Frames are analysed strictly one after another (the `#chain`), at most
 * `maxQueuedFrames` wait behind the one in progress, and the whole gateway shares one BoundedLimiter of analysis
 * slots. Every timer is cleared when the session ends, and nothing of a frame is kept but its digest and, for the
 * best frame, its embedding.
 */
export class CheckoutSession {
  #state: State = 'capturing';
  #acceptingFrames = true;
  #skipQueued = false;
  #endReason: CaptureEndReason | null = null;
  #chain: Promise<unknown> = Promise.resolve();
  #inFlight = 0;
  #received = 0;
  #bad = 0;
  #lastSeq = -1;
  #lastFrameAtMs: number | null = null;
  #verdict: LivenessVerdict | null = null;
  #prompt: PhonePrompt | null = null;
  #timer: NodeJS.Timeout | null = null;
  #decision: Promise<void> | null = null;
  #livenessDecisionMs: number | null = null;
  #digitsAtMs: number | null = null;
  #paymentDecisionMs: number | null = null;
  readonly #digests: FrameDigest[] = [];
  readonly #evidence: LivenessEvidence;
  readonly #bucket: TokenBucket;
  readonly #now: () => number;
  readonly #startedAtMs: number;
  readonly #done: Promise<CheckoutResult>;
  #resolveDone!: (result: CheckoutResult) => void;

  constructor(
    readonly context: CheckoutContext,
    private readonly deps: SessionDeps,
    private readonly listener: SessionListener,
  ) {
    this.#now = deps.now ?? Date.now;
    this.#startedAtMs = this.#now();
    this.#evidence = new LivenessEvidence(deps.policy);
    this.#bucket = new TokenBucket(deps.limits.maxFps, deps.limits.frameBurst, this.#startedAtMs);
    this.#done = new Promise((resolve) => (this.#resolveDone = resolve));
    this.#timer = setTimeout(() => this.endCapture('expired'), deps.limits.sessionDurationMs);
  }

  get checkoutId(): string {
    return this.context.checkoutId;
  }

  get limits(): SessionLimits {
    const { maxFrameBytes, maxFramesPerSession, maxFps, sessionDurationMs, maxQueuedFrames, phoneTimeoutMs } = this.deps.limits;
    return { maxFrameBytes, maxFramesPerSession, maxFps, sessionDurationMs, maxQueuedFrames, phoneTimeoutMs };
  }

  get captureDeadline(): string {
    return new Date(this.#startedAtMs + this.deps.limits.sessionDurationMs).toISOString();
  }

  /** Resolves with the result, whatever ends the session. */
  get done(): Promise<CheckoutResult> {
    return this.#done;
  }

  get isDone(): boolean {
    return this.#state === 'done';
  }

  /** The liveness verdict once decided (with the attack species), for metrics. */
  get livenessVerdict(): LivenessVerdict | null {
    return this.#verdict;
  }

  /** Last frame → liveness verdict, and phone digits → payment decision (through the api), when they happened. */
  get decisionLatencyMs(): { liveness: number | null; payment: number | null } {
    return { liveness: this.#livenessDecisionMs, payment: this.#paymentDecisionMs };
  }

  /** Admission checks happen here, synchronously, so a flood is refused before any byte is decoded. */
  submitFrame(frame: IncomingFrame): Promise<FrameAck> {
    const refused = this.admit(frame);
    if (refused) {
      this.deps.stats.count(`frame.${refused.code}`);
      return Promise.resolve(refused);
    }
    this.#inFlight++;
    const ack = this.#chain.then(() => this.process(frame)).finally(() => this.#inFlight--);
    this.#chain = ack;
    return ack;
  }

  private admit(frame: IncomingFrame): FrameRefusal | null {
    const refuse = (code: CheckoutErrorCode, message: string): FrameRefusal => ({ ok: false, seq: frame.seq, code, message });
    if (!this.#acceptingFrames) {
      return this.#endReason === 'expired'
        ? refuse(CheckoutErrorCode.SessionExpired, 'the capture window is over')
        : refuse(CheckoutErrorCode.SessionClosed, 'capture is over for this session');
    }
    const nowMs = this.#now();
    this.#received++;
    this.#lastFrameAtMs = nowMs;
    const digest = this.digest(frame);
    if (this.#received > this.deps.limits.maxFramesPerSession) {
      this.#digests.push({ ...digest, status: CheckoutErrorCode.TooManyFrames });
      this.endCapture('frame_limit');
      return refuse(CheckoutErrorCode.TooManyFrames, `at most ${this.deps.limits.maxFramesPerSession} frames per session`);
    }
    const problem = this.checkFrame(frame, nowMs);
    if (problem) {
      this.#digests.push({ ...digest, status: problem.code });
      this.countBad();
      return refuse(problem.code, problem.message);
    }
    this.#lastSeq = frame.seq;
    this.#digests.push({ ...digest, status: 'queued' });
    return null;
  }

  private checkFrame(frame: IncomingFrame, nowMs: number): { code: CheckoutErrorCode; message: string } | null {
    const max = this.deps.limits.maxFrameBytes;
    if (frame.rgb.length > max || (frame.depth?.length ?? 0) > max) {
      return { code: CheckoutErrorCode.FrameTooLarge, message: `a frame image may be at most ${max} bytes` };
    }
    if (frame.seq <= this.#lastSeq) {
      return { code: CheckoutErrorCode.InvalidRequest, message: `seq ${frame.seq} does not follow ${this.#lastSeq}` };
    }
    if (this.#inFlight > this.deps.limits.maxQueuedFrames) {
      return { code: CheckoutErrorCode.FrameFlood, message: `more than ${this.deps.limits.maxQueuedFrames} frames are waiting; wait for acks` };
    }
    if (!this.#bucket.take(nowMs)) {
      return { code: CheckoutErrorCode.FrameRateExceeded, message: `at most ${this.deps.limits.maxFps} frames per second` };
    }
    return null;
  }

  private digest(frame: IncomingFrame): Omit<FrameDigest, 'status'> {
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    return { seq: frame.seq, rgbSha256: sha(frame.rgb), ...(frame.depth ? { depthSha256: sha(frame.depth) } : {}) };
  }

  private setDigestStatus(seq: number, status: string): void {
    const digest = this.#digests.findLast((d) => d.seq === seq);
    if (digest) digest.status = status;
  }

  private async process(frame: IncomingFrame): Promise<FrameAck> {
    if (this.#skipQueued || this.#state !== 'capturing') {
      this.setDigestStatus(frame.seq, CheckoutErrorCode.SessionClosed);
      return { ok: false, seq: frame.seq, code: CheckoutErrorCode.SessionClosed, message: 'capture ended before this frame was analysed' };
    }
    const startedMs = performance.now();
    try {
      const plan = this.#evidence.planNext(frame.depth !== undefined);
      const outcome = await this.deps.analysisLimiter.run(() => this.deps.analyzer.analyze(frame, plan));
      if (!outcome) throw new FrameRejected(CheckoutErrorCode.FrameFlood, 'the gateway is saturated; slow down');
      this.deps.stats.record('analysis_wait', outcome.waitedMs);
      for (const [stage, ms] of Object.entries(outcome.value.timingsMs)) this.deps.stats.record(stage, ms);
      const { smileProgress } = this.#evidence.add(frame.seq, frame.capturedAtMs, outcome.value);
      this.setDigestStatus(frame.seq, 'analyzed');
      this.deps.stats.record('frame_total', performance.now() - startedMs);
      if (this.#evidence.conclusive()) this.endCapture('conclusive');
      // A frame that was only tracked reports its detector confidence as its quality.
      const quality = outcome.value.quality?.score ?? outcome.value.box.score;
      return { ok: true, seq: frame.seq, faceFound: true, qualityScore: round3(quality), smileProgress: round3(smileProgress) };
    } catch (error) {
      const code = error instanceof FrameRejected ? error.code : CheckoutErrorCode.Internal;
      if (!(error instanceof FrameRejected)) this.deps.logger.error(`checkout ${this.checkoutId} frame ${frame.seq}: ${(error as Error).stack}`);
      this.setDigestStatus(frame.seq, code);
      this.deps.stats.count(`frame.${code}`);
      this.countBad();
      return { ok: false, seq: frame.seq, code, message: error instanceof FrameRejected ? error.message : 'frame analysis failed' };
    }
  }

  private countBad(): void {
    this.#bad++;
    if (this.#bad > this.deps.limits.maxBadFrames) this.endCapture('too_many_bad_frames');
  }

  /**
   * Stops accepting frames and decides once the frames already queued are done. On 'conclusive' the queued
   * frames are skipped: the verdict cannot change, and the terminal learns it sooner.
   */
  endCapture(reason: CaptureEndReason): void {
    if (!this.#acceptingFrames || this.#state !== 'capturing') return;
    this.#acceptingFrames = false;
    this.#endReason = reason;
    this.#skipQueued = reason === 'conclusive' || reason === 'too_many_bad_frames';
    this.clearTimer();
    this.listener.captureComplete(reason);
    this.#decision = this.decideAfterQueue(reason).catch((error: Error) => {
      this.deps.logger.error(`checkout ${this.checkoutId} decision failed: ${error.stack}`);
      this.finish('error', CheckoutErrorCode.Internal);
    });
  }

  private async decideAfterQueue(reason: CaptureEndReason): Promise<void> {
    await this.#chain;
    if (this.#state !== 'capturing') return;
    this.#state = 'deciding';
    if (reason === 'too_many_bad_frames') return this.finish('error', CheckoutErrorCode.TooManyBadFrames);
    if (this.#evidence.analyzedFrames === 0 || !this.#evidence.best) {
      return this.finish('error', reason === 'expired' ? CheckoutErrorCode.SessionExpired : CheckoutErrorCode.NoUsableFrames);
    }
    const verdict = this.#evidence.decide();
    const decisionLatencyMs = this.#now() - (this.#lastFrameAtMs ?? this.#startedAtMs);
    this.deps.stats.record('decision_after_last_frame', decisionLatencyMs);
    this.#livenessDecisionMs = decisionLatencyMs;
    this.deps.stats.count(`verdict.${verdict.verdict}`);
    this.#verdict = verdict;
    const command = buildLivenessCommand(this.context, verdict, this.frameCounts(), this.#digests, decisionLatencyMs, new Date(this.#now()));
    const reply = await this.callApi('liveness', () => this.deps.api.recordLivenessVerdict(command));
    if (!reply) return;
    const fallback = reply.fallback ? { fallback: reply.fallback } : {};
    if (verdict.verdict !== 'live') {
      const code = verdict.verdict === 'spoof' ? CheckoutErrorCode.LivenessSpoof : CheckoutErrorCode.LivenessInconclusive;
      return this.finish('liveness_failed', code, fallback);
    }
    // The api may refuse a live checkout (lockout, risk, a step it does not expect): no digits are asked for then.
    if (!reply.accepted) return this.finish('declined', reply.reason ?? CheckoutErrorCode.ApiRejected, fallback);
    this.askForPhone(reply.phonePrompt ?? this.deps.phonePrompt(this.context));
  }

  private askForPhone(prompt: PhonePrompt): void {
    if (this.#state === 'done') return;
    this.#state = 'awaiting_phone';
    this.#prompt = prompt;
    const expiresAt = new Date(this.#now() + this.deps.limits.phoneTimeoutMs).toISOString();
    this.#timer = setTimeout(() => this.finish('error', CheckoutErrorCode.PhoneTimeout), this.deps.limits.phoneTimeoutMs);
    this.listener.phoneRequest({ checkoutId: this.checkoutId, digitsRequested: prompt.digitsRequested, kind: prompt.kind, expiresAt });
  }

  /** The customer's digits. Wrong-shaped digits are refused and the prompt stays open until its deadline. */
  answerPhone(input: unknown): PhoneDigitsAck {
    if (this.#state !== 'awaiting_phone' || !this.#prompt || !this.#verdict) {
      return { ok: false, code: CheckoutErrorCode.PhoneNotRequested, message: 'no phone digits are expected now' };
    }
    const checked = validatePhoneDigits(input, this.#prompt.digitsRequested);
    if (!checked.ok) return { ok: false, code: CheckoutErrorCode.PhoneDigitsInvalid, message: checked.problems.join('; ') };
    if (checked.value.checkoutId && checked.value.checkoutId !== this.checkoutId) {
      return { ok: false, code: CheckoutErrorCode.SessionNotFound, message: 'checkoutId does not match this session' };
    }
    this.#state = 'submitting';
    this.#digitsAtMs = this.#now();
    this.clearTimer();
    void this.submitProbe(checked.value.digits).catch((error: Error) => {
      this.deps.logger.error(`checkout ${this.checkoutId} probe failed: ${error.stack}`);
      this.finish('error', CheckoutErrorCode.Internal);
    });
    return { ok: true };
  }

  private async submitProbe(digits: string): Promise<void> {
    const best = this.#evidence.best;
    const verdict = this.#verdict;
    const prompt = this.#prompt;
    if (!best || !verdict || !prompt) return this.finish('error', CheckoutErrorCode.Internal);
    const command = buildFaceProbe(this.context, verdict, best, this.#digests, digits, prompt.kind, new Date(this.#now()));
    const reply = await this.callApi('face_probe', () => this.deps.api.submitFaceProbe(command));
    if (!reply) return;
    if (this.#digitsAtMs !== null) this.#paymentDecisionMs = this.#now() - this.#digitsAtMs;
    this.decided(reply);
  }

  private decided(reply: PaymentDecisionReply): void {
    if (reply.decision === 'pin_required') return this.askForPin(reply.reason ?? 'pin_required');
    this.finish(reply.decision, reply.reason, { paymentId: reply.paymentId, fallback: reply.fallback });
  }

  /** The face matched, but the api needs the PIN as well (a look-alike is enrolled, or the phone is shared). */
  private askForPin(reason: string): void {
    if (this.#state === 'done') return;
    this.#state = 'awaiting_pin';
    const expiresAt = new Date(this.#now() + this.deps.limits.phoneTimeoutMs).toISOString();
    this.#timer = setTimeout(() => this.finish('error', CheckoutErrorCode.PinTimeout), this.deps.limits.phoneTimeoutMs);
    this.listener.pinRequest({ checkoutId: this.checkoutId, reason, expiresAt });
  }

  /** The customer's PIN. A wrong-shaped PIN is refused and the prompt stays open; a wrong PIN is the api's decline. */
  answerPin(input: unknown): PinEntryAck {
    if (this.#state !== 'awaiting_pin') return { ok: false, code: CheckoutErrorCode.PinNotRequested, message: 'no PIN is expected now' };
    const checked = validatePinAnswer(input);
    if (!checked.ok) return { ok: false, code: CheckoutErrorCode.PinInvalid, message: checked.problems.join('; ') };
    if (checked.value.checkoutId && checked.value.checkoutId !== this.checkoutId) {
      return { ok: false, code: CheckoutErrorCode.SessionNotFound, message: 'checkoutId does not match this session' };
    }
    this.#state = 'submitting';
    this.clearTimer();
    const command = { type: 'SubmitPin' as const, checkout: this.context, pin: checked.value.pin };
    void this.callApi('pin', () => this.deps.api.submitPin(command))
      .then((reply) => reply && this.decided(reply))
      .catch((error: Error) => {
        this.deps.logger.error(`checkout ${this.checkoutId} PIN submission failed: ${error.stack}`);
        this.finish('error', CheckoutErrorCode.Internal);
      });
    return { ok: true };
  }

  private async callApi<T>(stage: string, call: () => Promise<T>): Promise<T | null> {
    const startedMs = performance.now();
    try {
      return await call();
    } catch (error) {
      const code = error instanceof ApiClientError ? error.code : CheckoutErrorCode.Internal;
      this.deps.logger.warn(`checkout ${this.checkoutId}: api ${stage} failed (${code}): ${(error as Error).message}`);
      this.finish('error', code);
      return null;
    } finally {
      this.deps.stats.record(`api_${stage}`, performance.now() - startedMs);
    }
  }

  /** The terminal went away: stop timers and forget the frames; no result is sent (nobody would read it). */
  abandon(): void {
    if (this.#state === 'done') return;
    this.#acceptingFrames = false;
    this.#skipQueued = true;
    this.finish('error', CheckoutErrorCode.SessionClosed, {}, false);
  }

  private finish(outcome: CheckoutResult['outcome'], code?: string, extra: { paymentId?: string; fallback?: 'phone_pin' } = {}, notify = true): void {
    if (this.#state === 'done') return;
    this.#state = 'done';
    this.#acceptingFrames = false;
    this.clearTimer();
    const result: CheckoutResult = {
      checkoutId: this.checkoutId,
      outcome,
      ...(code ? { code } : {}),
      liveness: this.#verdict?.verdict ?? null,
      ...(extra.paymentId ? { paymentId: extra.paymentId } : {}),
      ...(extra.fallback ? { fallback: extra.fallback } : {}),
      decidedAt: new Date(this.#now()).toISOString(),
    };
    this.deps.stats.count(`result.${outcome}`);
    if (notify) this.listener.result(result);
    this.#resolveDone(result);
  }

  private frameCounts(): { received: number; analyzed: number; dropped: number } {
    const analyzed = this.#evidence.analyzedFrames;
    return { received: this.#received, analyzed, dropped: this.#received - analyzed };
  }

  private clearTimer(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  /** For tests and shutdown: waits until a pending decision has run. */
  async settled(): Promise<void> {
    await this.#chain;
    await this.#decision;
  }
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
