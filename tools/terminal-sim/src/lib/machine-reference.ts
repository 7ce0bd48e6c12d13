import { performance } from 'node:perf_hooks';
import { Tensor } from 'onnxruntime-node';
import { decodeRgb, loadModels, SeededRandom } from '@smilepay/biometrics/infrastructure';
import { percentile } from './report';

export interface MachineReference {
  /** Median ms of one fr_feature inference (the embedding model), one intra-op thread. */
  embeddingMs: number;
  /** Median ms of decoding one of the benchmark's own 640x480 JPEG frames. */
  jpegDecodeMs: number;
}

async function timed(runs: number, work: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 5; i++) await work();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  return percentile(times, 50);
}

/**
 * Two fixed pieces of the gateway's own work, timed in the simulator before the gateway starts. Machines of the same
 * kind here differ by up to 3x between sessions (docs/PERFORMANCE.md), so a figure is only comparable with another
 * measured next to the same reference.
 */
export async function measureMachineReference(sampleJpeg: Buffer, runs = 40): Promise<MachineReference> {
  const models = await loadModels({ intraOpThreads: 1 });
  try {
    const session = models.sessions.fr_feature;
    // A constant input runs about a quarter faster than face-like data here; fixed pseudo-random values in the
    // model's input range (-1..1) time like real aligned faces and are the same on every run.
    const random = new SeededRandom(12345);
    const input = new Tensor('float32', Float32Array.from({ length: 3 * 112 * 112 }, () => random.between(-1, 1)), [1, 3, 112, 112]);
    const embeddingMs = await timed(runs, () => session.run({ [session.inputNames[0]]: input }));
    const jpegDecodeMs = await timed(runs, () => decodeRgb(sampleJpeg));
    return { embeddingMs, jpegDecodeMs };
  } finally {
    await models.release();
  }
}

export function describeMachineReference(reference: MachineReference): string {
  return `Machine reference (median, measured before the gateway started): fr_feature inference ${reference.embeddingMs.toFixed(1)} ms on one thread, one 640x480 frame JPEG decode ${reference.jpegDecodeMs.toFixed(1)} ms.`;
}
