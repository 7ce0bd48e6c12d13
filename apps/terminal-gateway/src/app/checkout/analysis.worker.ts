import { parentPort, workerData } from 'node:worker_threads';
import { FacePipeline, FrameLimits, loadModels } from '@smilepay/biometrics/infrastructure';
import { BiometricsFrameAnalyzer } from './biometrics-frame-analyzer';
import { FramePlan, FrameRejected } from './frame-analyzer.port';

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

export type AnalysisJob = { id: number; rgb: Uint8Array; depth?: Uint8Array; plan: FramePlan };
export type AnalysisReply =
  | { id: number; ok: true; analysis: unknown }
  | { id: number; ok: false; code: string; message: string; rejected: boolean };

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('analysis.worker must run in a worker thread');
  const data = workerData as AnalysisWorkerData;
  const models = await loadModels({ modelDir: data.modelDir, manifestPath: data.manifestPath, intraOpThreads: data.intraOpThreads });
  const analyzer = new BiometricsFrameAnalyzer(new FacePipeline(models), data.limits);
  port.on('message', (job: AnalysisJob) => {
    const toBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    analyzer
      .analyze({ rgb: toBuffer(job.rgb), ...(job.depth ? { depth: toBuffer(job.depth) } : {}) }, job.plan)
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
