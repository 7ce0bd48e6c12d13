import { Logger } from '@nestjs/common';
import { Worker } from 'node:worker_threads';
import { CheckoutErrorCode } from '@smilepay/checkout/contracts';
import type { DepthLivenessResult } from '@smilepay/biometrics/domain';
import type { AnalysisJob, AnalysisProgress, AnalysisReply, AnalysisWorkerData } from './analysis.worker';
import { FrameAnalysis, FrameAnalyzer, FrameBytes, FramePlan, FrameRejected, FULL_FRAME_PLAN, TrackedFace } from './frame-analyzer.port';

/** PNG signature (8) + IHDR chunk (4 + 4 + 13 + 4): everything checkDepthHeader reads. */
const DEPTH_HEADER_BYTES = 33;

interface Job {
  job: AnalysisJob;
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
  onTracked?: (face: TrackedFace) => void;
}

type DepthCheck = { depth: DepthLivenessResult; timingsMs: Record<string, number> };

interface Slot {
  worker: Worker;
  current: Job | null;
}

export interface WorkerPoolOptions {
  script: string;
  size: number;
  workerData: AnalysisWorkerData;
  /** Jobs waiting for a thread; the sessions' shared limiter keeps the real backlog far below this. */
  maxQueued: number;
  /** Crashed threads replaced over the pool's life before it gives up (a crash loop must not spin forever). */
  maxRestarts: number;
}

/**
 * The bytes a job transfers to its thread. A handed-over buffer that is the whole of its memory (what the socket's
 * receiver allocates for a large message) is transferred as it is; anything else (a view into shared memory: a
 * pooled slice, an HTTP body) is copied first, so transferring it cannot detach bytes that others still use.
 */
function takeOrCopy(bytes: Buffer, handOver: boolean): Uint8Array {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
  return handOver && whole ? new Uint8Array(bytes.buffer, 0, bytes.byteLength) : new Uint8Array(bytes);
}

/**
 * Frame analysis on worker threads, one per core. Frame bytes are transferred to the thread (copied first unless
 * handed over whole), so the socket's buffers are released at once; a thread that dies fails only its current frame
 * and is replaced.
 */
export class WorkerPoolFrameAnalyzer extends FrameAnalyzer {
  private readonly logger = new Logger('AnalysisPool');
  readonly #slots: Slot[] = [];
  readonly #queue: Job[] = [];
  /** Every thread, ready or still loading, so close() can stop them all. */
  readonly #all = new Set<Worker>();
  #nextId = 1;
  #restarts = 0;
  #closing = false;

  private constructor(private readonly options: WorkerPoolOptions) {
    super();
  }

  static async start(options: WorkerPoolOptions): Promise<WorkerPoolFrameAnalyzer> {
    const pool = new WorkerPoolFrameAnalyzer(options);
    try {
      await Promise.all(Array.from({ length: options.size }, () => pool.spawn()));
    } catch (error) {
      await pool.close();
      throw error;
    }
    return pool;
  }

  /**
   * A frame whose depth is checked is split across two threads when there are two: as soon as one thread has
   * tracked the face, the depth check (decode + relief fit, which needs only the face's box and landmarks) starts
   * on the next free thread, ahead of queued frames, while the first runs the identity models. The two results are
   * the ones one thread would produce; the frame's latency is the longer branch instead of their sum.
   */
  analyze(frame: FrameBytes, plan: FramePlan = FULL_FRAME_PLAN): Promise<FrameAnalysis> {
    if (this.#slots.length === 0) return Promise.reject(new Error('no analysis thread is running'));
    if (this.#queue.length >= this.options.maxQueued) return Promise.reject(new FrameRejected(CheckoutErrorCode.FrameFlood, 'the analysis queue is full'));
    const handOver = frame.handOver === true;
    const rgb = takeOrCopy(frame.rgb, handOver);
    const split = frame.depth !== undefined && plan.depth && this.#slots.length > 1;
    // A depth frame that will not be decoded here travels as its PNG header only: the thread checks it without the rest.
    const depth = frame.depth ? (plan.depth && !split ? takeOrCopy(frame.depth, handOver) : new Uint8Array(frame.depth.subarray(0, DEPTH_HEADER_BYTES))) : undefined;
    const job: AnalysisJob = { kind: 'frame', id: this.#nextId++, rgb, ...(depth ? { depth } : {}), plan: { ...plan }, depthElsewhere: split };
    if (!split) return this.enqueue<FrameAnalysis>(job);
    const depthPng = takeOrCopy(frame.depth as Buffer, handOver);
    let depthCheck: Promise<DepthCheck> | undefined;
    const analysis = this.enqueue<FrameAnalysis>(job, (face) => {
      depthCheck = this.enqueue<DepthCheck>({ kind: 'depth', id: this.#nextId++, depth: depthPng, face }, undefined, true);
      // If the frame fails after this, nobody awaits the depth check: its own failure must not go unhandled.
      depthCheck.catch(() => undefined);
    });
    return analysis.then(async (result) => {
      if (depthCheck === undefined) throw new Error('the analysis thread did not report the tracked face');
      const checked = await depthCheck;
      return { ...result, depth: checked.depth, timingsMs: { ...result.timingsMs, ...checked.timingsMs } };
    });
  }

  private enqueue<T>(job: AnalysisJob, onTracked?: (face: TrackedFace) => void, first = false): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const queued: Job = { job, resolve: resolve as (result: unknown) => void, reject, ...(onTracked ? { onTracked } : {}) };
      if (first) this.#queue.unshift(queued);
      else this.#queue.push(queued);
      this.dispatch();
    });
  }

  get threads(): number {
    return this.#slots.length;
  }

  // Ready while at least one thread holds its models; a pool whose restart budget is spent stays not ready.
  override readiness(): { ready: boolean; threads: number } {
    return { ready: !this.#closing && this.#slots.length > 0, threads: this.#slots.length };
  }

  override get queuedFrames(): number {
    return this.#queue.length;
  }

  private dispatch(): void {
    for (const slot of this.#slots) {
      if (slot.current || this.#queue.length === 0) continue;
      const next = this.#queue.shift() as Job;
      slot.current = next;
      const transfer = [...(next.job.kind === 'frame' ? [next.job.rgb.buffer] : []), ...(next.job.depth ? [next.job.depth.buffer] : [])] as ArrayBuffer[];
      slot.worker.postMessage(next.job, transfer);
    }
  }

  private spawn(): Promise<void> {
    const worker = new Worker(this.options.script, { workerData: this.options.workerData });
    this.#all.add(worker);
    worker.once('exit', () => this.#all.delete(worker));
    return new Promise((resolve, reject) => {
      let ready = false;
      const slot: Slot = { worker, current: null };
      worker.on('message', (message: AnalysisReply | AnalysisProgress | { ready: true }) => {
        if ('tracked' in message) {
          if (slot.current?.job.id === message.id) slot.current.onTracked?.(message.tracked);
          return;
        }
        if ('ready' in message) {
          ready = true;
          this.#slots.push(slot);
          this.dispatch();
          return resolve();
        }
        this.settle(slot, message);
      });
      worker.once('error', (error) => (ready ? this.logger.error(`analysis thread failed: ${error.stack}`) : reject(error)));
      worker.once('exit', (code) => this.onExit(slot, code, ready));
    });
  }

  private settle(slot: Slot, reply: AnalysisReply): void {
    const job = slot.current;
    slot.current = null;
    if (job && job.job.id === reply.id) {
      if (reply.ok) job.resolve(reply.analysis);
      else job.reject(reply.rejected ? new FrameRejected(reply.code as CheckoutErrorCode, reply.message) : new Error(reply.message));
    }
    this.dispatch();
  }

  private onExit(slot: Slot, code: number, wasReady: boolean): void {
    const index = this.#slots.indexOf(slot);
    if (index >= 0) this.#slots.splice(index, 1);
    slot.current?.reject(new Error(`analysis thread exited (code ${code}) during the frame`));
    slot.current = null;
    if (this.#closing || !wasReady) return;
    if (this.#restarts >= this.options.maxRestarts) {
      this.logger.error(`analysis thread exited (code ${code}); restart budget of ${this.options.maxRestarts} spent`);
      if (this.#slots.length === 0) for (const job of this.#queue.splice(0)) job.reject(new Error('no analysis thread is running'));
      return;
    }
    this.#restarts++;
    this.logger.warn(`analysis thread exited (code ${code}); starting a replacement (${this.#restarts}/${this.options.maxRestarts})`);
    this.spawn().catch((error: Error) => this.logger.error(`replacement analysis thread failed to start: ${error.message}`));
  }

  async close(): Promise<void> {
    this.#closing = true;
    for (const job of this.#queue.splice(0)) job.reject(new Error('the gateway is shutting down'));
    this.#slots.splice(0);
    await Promise.all([...this.#all].map((worker) => worker.terminate()));
  }
}
