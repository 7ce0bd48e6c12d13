import { cosineSimilarity } from '@smilepay/biometrics/domain';
import { CheckoutErrorCode } from '@smilepay/checkout/contracts';
import { badFrames } from '../../testing/bad-frames';
import { builtAnalysisWorker, requireBuilt } from '../../testing/built-artifacts';
import { buildPresentation, loadCustomers } from '@smilepay/biometrics/infrastructure';
import { FrameRejected } from './frame-analyzer.port';
import { WorkerPoolFrameAnalyzer } from './worker-pool-frame-analyzer';

// The built analysis-worker.js bundle on real threads with the real models (frames: real photo, SYNTHETIC depth).
describe('WorkerPoolFrameAnalyzer', () => {
  let pool: WorkerPoolFrameAnalyzer;

  beforeAll(async () => {
    pool = await WorkerPoolFrameAnalyzer.start({
      script: requireBuilt(builtAnalysisWorker, 'terminal-gateway'),
      size: 2,
      workerData: { intraOpThreads: 1, limits: {} },
      maxQueued: 8,
      maxRestarts: 2,
    });
  });
  afterAll(() => pool.close());

  it('analyses frames on two threads, with results that cross the thread boundary intact', async () => {
    const customers = await loadCustomers(2);
    const frames = [...(await buildPresentation(customers[0], 'genuine', 51)).slice(0, 3), ...(await buildPresentation(customers[1], 'genuine', 52)).slice(0, 3)];
    const analyses = await Promise.all(frames.map((f) => pool.analyze(f)));
    expect(pool.threads).toBe(2);
    for (const a of analyses) {
      expect(a.embedding).toBeInstanceOf(Float32Array);
      expect(a.embedding).toHaveLength(512);
      expect(a.depth?.classification).toBe('genuine');
    }
    // Same person across frames, different people across customers: the embeddings were not mixed up between jobs.
    const embeddings = analyses.map((a) => a.embedding as Float32Array);
    expect(cosineSimilarity(embeddings[0], embeddings[2])).toBeGreaterThan(0.8);
    expect(cosineSimilarity(embeddings[0], embeddings[4])).toBeLessThan(0.5);

    // A tracked-only frame: landmarks and mouth, no embedding, no depth decode; its depth header is still checked.
    const tracked = await pool.analyze(frames[1], { identity: 'none', depth: false });
    expect(tracked).toMatchObject({ embedding: null, quality: null, rgbLivenessScore: null, depth: null, plan: { identity: 'none', depth: false } });
    expect(tracked.mouth.mouthWidthRatio).toBeGreaterThan(0);
    expect(tracked.timingsMs).not.toHaveProperty('decode_depth');
    const sampled = await pool.analyze(frames[1], { identity: 'embedding', depth: true });
    expect(cosineSimilarity(embeddings[0], sampled.embedding as Float32Array)).toBeGreaterThan(0.8);
    expect(sampled.depth?.classification).toBe('genuine');

    const bad = await badFrames(customers, frames[0]);
    const refused = await Promise.all([bad.truncatedJpeg, bad.noFace, bad.notAnImage].map((rgb) => pool.analyze({ rgb }).catch((e: unknown) => e)));
    expect(refused.map((e) => (e instanceof FrameRejected ? e.code : e))).toEqual([CheckoutErrorCode.FrameCorrupt, CheckoutErrorCode.NoFace, CheckoutErrorCode.FrameUnsupportedFormat]);
    const skippedDepth = { identity: 'none', depth: false } as const;
    const badDepth = await Promise.all(
      [bad.smallDepth, bad.eightBitDepth].map((depth) => pool.analyze({ rgb: frames[0].rgb, depth }, skippedDepth).catch((e: unknown) => e)),
    );
    expect(badDepth.map((e) => (e instanceof FrameRejected ? e.code : e))).toEqual([CheckoutErrorCode.DepthMismatch, CheckoutErrorCode.FrameUnsupportedFormat]);
  });

  it('transfers a handed-over frame that owns its memory, and copies one that shares it', async () => {
    const [customer] = await loadCustomers(1);
    const [frame] = await buildPresentation(customer, 'genuine', 53);
    const owned = { rgb: Buffer.from(new Uint8Array(frame.rgb)), depth: Buffer.from(new Uint8Array(frame.depth as Buffer)), handOver: true };
    expect(owned.rgb.byteLength).toBe(owned.rgb.buffer.byteLength);
    const fromOwned = pool.analyze(owned, { identity: 'none', depth: true });
    // Transferred at dispatch: the caller's views are detached, no copy was made. The depth frame goes to the
    // thread that checks it once the face is tracked, so it is detached by the time the analysis is done.
    expect(owned.rgb.byteLength).toBe(0);
    expect(owned.depth.byteLength).toBeGreaterThan(0);
    expect((await fromOwned).depth?.classification).toBe('genuine');
    expect(owned.depth.byteLength).toBe(0);
    // A view into a larger buffer (other bytes live there) is copied, even when handed over.
    const shared = Buffer.concat([Buffer.alloc(16), frame.rgb]).subarray(16);
    const fromShared = await pool.analyze({ rgb: shared, handOver: true }, { identity: 'none', depth: false });
    expect(shared.equals(frame.rgb)).toBe(true);
    expect(fromShared.mouth).toEqual((await pool.analyze({ rgb: frame.rgb }, { identity: 'none', depth: false })).mouth);
  });

  it('checks depth on the other thread while the first runs the identity models, with the same result as one thread', async () => {
    const single = await WorkerPoolFrameAnalyzer.start({
      script: requireBuilt(builtAnalysisWorker, 'terminal-gateway'),
      size: 1,
      workerData: { intraOpThreads: 1, limits: {} },
      maxQueued: 8,
      maxRestarts: 0,
    });
    try {
      const customers = await loadCustomers(2);
      const frames = await buildPresentation(customers[0], 'genuine', 54);
      for (const plan of [{ identity: 'full', depth: true }, { identity: 'embedding', depth: true }] as const) {
        const [split, whole] = await Promise.all([pool.analyze(frames[0], plan), single.analyze(frames[0], plan)]);
        expect(split.depth).toEqual(whole.depth);
        expect(split.embedding).toEqual(whole.embedding);
        expect(Object.keys(split.timingsMs).sort()).toEqual(Object.keys(whole.timingsMs).sort());
      }
      // A corrupt depth body is found by the depth thread and refuses the frame, as on one thread.
      const corrupt = Buffer.from(frames[0].depth as Buffer);
      corrupt.fill(0x55, 60);
      const refused = await Promise.all([pool, single].map((p) => p.analyze({ rgb: frames[0].rgb, depth: corrupt }, { identity: 'embedding', depth: true }).catch((e: unknown) => e)));
      expect(refused.map((e) => (e instanceof FrameRejected ? e.code : e))).toEqual([CheckoutErrorCode.FrameCorrupt, CheckoutErrorCode.FrameCorrupt]);
      // A frame without a face never gets as far as its depth check.
      const bad = await badFrames(customers, frames[0]);
      await expect(pool.analyze({ rgb: bad.noFace, depth: frames[0].depth }, { identity: 'embedding', depth: true })).rejects.toMatchObject({ code: CheckoutErrorCode.NoFace });
    } finally {
      await single.close();
    }
  });

  it('refuses to start when the models cannot load, naming the cause', async () => {
    const failed = WorkerPoolFrameAnalyzer.start({
      script: builtAnalysisWorker,
      size: 1,
      workerData: { intraOpThreads: 1, limits: {}, modelDir: '/nonexistent/models' },
      maxQueued: 1,
      maxRestarts: 0,
    });
    await expect(failed).rejects.toThrow(/missing/);
  });
});
