import { parentPort, workerData } from 'node:worker_threads';
import { FacePipeline, FrameLimits, loadModels } from '@smilepay/biometrics/infrastructure';
import { BiometricsFrameAnalyzer } from './biometrics-frame-analyzer';
import { FramePlan, FrameRejected, TrackedFace } from './frame-analyzer.port';

/**
 * One analysis thread: its own copy of the models, one frame at a time. onnxruntime-node runs inference on the
 * calling thread, so the gateway needs one of these per core to use more than one core; the main thread keeps the
 * sockets responsive meanwhile.
 */
export interface AnalysisWorkerData {
  modelDir?: string;
  manifestPath?: string;
  intraOpThreads: number;
  limits: Partial<FrameLimits>;
}

/**
 * A frame, or the depth check of a frame another thread is analysing. With `depthElsewhere` the thread reports the
 * tracked face (a `tracked` message) as soon as it has it, and leaves the depth check to a `depth` job that the pool
 * runs on another thread meanwhile.
 */
export type AnalysisJob =
  | { kind: 'frame'; id: number; rgb: Uint8Array; depth?: Uint8Array; plan: FramePlan; depthElsewhere: boolean }
  | { kind: 'depth'; id: number; depth: Uint8Array; face: TrackedFace };
export type AnalysisReply =
  | { id: number; ok: true; analysis: unknown }
  | { id: number; ok: false; code: string; message: string; rejected: boolean };
/** Sent before the frame's reply, which still follows. */
export type AnalysisProgress = { id: number; tracked: TrackedFace };

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('analysis.worker must run in a worker thread');
  const data = workerData as AnalysisWorkerData;
  const models = await loadModels({ modelDir: data.modelDir, manifestPath: data.manifestPath, intraOpThreads: data.intraOpThreads });
  const analyzer = new BiometricsFrameAnalyzer(new FacePipeline(models), data.limits);
  port.on('message', (job: AnalysisJob) => {
    const toBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const work: Promise<unknown> =
      job.kind === 'depth'
        ? analyzer.analyzeDepth(toBuffer(job.depth), job.face)
        : analyzer.analyze(
            { rgb: toBuffer(job.rgb), ...(job.depth ? { depth: toBuffer(job.depth) } : {}) },
            job.plan,
            job.depthElsewhere ? (tracked) => port.postMessage({ id: job.id, tracked } satisfies AnalysisProgress) : undefined,
          );
    work
      .then(
        (analysis): AnalysisReply => ({ id: job.id, ok: true, analysis }),
        (error: Error): AnalysisReply =>
          error instanceof FrameRejected
            ? { id: job.id, ok: false, code: error.code, message: error.message, rejected: true }
            : { id: job.id, ok: false, code: 'internal_error', message: error.stack ?? error.message, rejected: false },
      )
      .then((reply) => port.postMessage(reply));
  });
  port.postMessage({ ready: true, modelVersions: models.versions });
}

main().catch((error: Error) => {
  // The pool sees the thread exit with this error and reports it; nothing else can be done from here.
  throw error;
});
