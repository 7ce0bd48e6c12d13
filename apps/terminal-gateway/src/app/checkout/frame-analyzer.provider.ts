import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { FacePipeline, loadModels } from '@smilepay/biometrics/infrastructure';
import { GATEWAY_CONFIG } from '../config/config.module';
import type { GatewayConfig } from '../config/gateway-config';
import { BiometricsFrameAnalyzer } from './biometrics-frame-analyzer';
import { FrameAnalyzer } from './frame-analyzer.port';
import { WorkerPoolFrameAnalyzer } from './worker-pool-frame-analyzer';

/**
 * Loads (and checksums) the models at boot, in each analysis thread or on the main thread: a missing or altered
 * model stops startup.
 */
export const frameAnalyzerProvider = {
  provide: FrameAnalyzer,
  inject: [GATEWAY_CONFIG],
  useFactory: async (config: GatewayConfig): Promise<FrameAnalyzer> => {
    const logger = new Logger('FrameAnalyzer');
    const startedMs = performance.now();
    const limits = { maxBytes: config.limits.maxFrameBytes, maxWidth: config.limits.maxFrameSidePx, maxHeight: config.limits.maxFrameSidePx };
    const { modelDir, manifestPath, intraOpThreads } = config.models;
    if (config.analysis.workers > 0) {
      const pool = await WorkerPoolFrameAnalyzer.start({
        script: config.analysis.workerScript,
        size: config.analysis.workers,
        workerData: { modelDir, manifestPath, intraOpThreads, limits },
        maxQueued: config.limits.maxAnalysesWaiting + config.limits.maxAnalysesInFlight,
        maxRestarts: 16,
      });
      logger.log(`${pool.threads} analysis threads ready in ${Math.round(performance.now() - startedMs)} ms`);
      return pool;
    }
    const models = await loadModels({ modelDir, manifestPath, intraOpThreads });
    logger.log(`models loaded on the main thread in ${Math.round(performance.now() - startedMs)} ms`);
    return new BiometricsFrameAnalyzer(new FacePipeline(models), limits, () => models.release());
  },
};

/** Frees threads and native onnxruntime sessions when the app closes (tests open and close apps repeatedly). */
@Injectable()
export class FrameAnalyzerLifecycle implements OnApplicationShutdown {
  constructor(@Inject(FrameAnalyzer) private readonly analyzer: FrameAnalyzer) {}

  async onApplicationShutdown(): Promise<void> {
    await this.analyzer.close();
  }
}
