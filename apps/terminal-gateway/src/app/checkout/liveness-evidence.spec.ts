import { FaceModels, FacePipeline, defaultImageDir, loadModels, buildPresentation, Customer, EncodedFrame, findCustomers, Species } from '@smilepay/biometrics/infrastructure';
import { loadGatewayConfig } from '../config/gateway-config';
import { BiometricsFrameAnalyzer } from './biometrics-frame-analyzer';
import { evidencePolicyFrom } from './evidence-policy';
import { LivenessEvidence } from './liveness-evidence';

// Real models and real photos; depth, smile and attacks are SYNTHETIC (see testing/presentations.ts).
describe('LivenessEvidence over real frame analyses', () => {
  let models: FaceModels;
  let analyzer: BiometricsFrameAnalyzer;
  let customers: Customer[];
  const policy = evidencePolicyFrom(
    loadGatewayConfig({
      TERMINAL_KEYS: JSON.stringify([{ keyId: 'k', terminalId: 't', merchantId: 'm', secret: 's'.repeat(32) }]),
      API_URL: 'http://127.0.0.1:1',
      INTERNAL_API_TOKEN: 'i'.repeat(32),
    }),
  );

  beforeAll(async () => {
    models = await loadModels();
    const pipeline = new FacePipeline(models);
    analyzer = new BiometricsFrameAnalyzer(pipeline, {});
    customers = await findCustomers(pipeline, defaultImageDir(), 2);
  });
  afterAll(() => models.release());

  async function feed(frames: EncodedFrame[], stopWhenConclusive = true) {
    const evidence = new LivenessEvidence(policy);
    for (const frame of frames) {
      evidence.add(frame.seq, frame.capturedAtMs, await analyzer.analyze(frame, evidence.planNext(frame.depth !== undefined)));
      if (stopWhenConclusive && evidence.conclusive()) break;
    }
    return evidence;
  }

  it('finds single-face customers in the image cache', () => {
    expect(customers.length).toBe(2);
  });

  it('calls a genuine presentation live, concluding before the last frame, and keeps the best frame', async () => {
    const frames = await buildPresentation(customers[0], 'genuine', 1);
    const evidence = await feed(frames);
    const verdict = evidence.decide();
    expect(verdict).toMatchObject({ verdict: 'live', attackSpecies: 'none' });
    expect(evidence.analyzedFrames).toBeLessThan(frames.length);
    expect(evidence.best?.analysis.embedding).toHaveLength(512);
    expect(Object.keys(verdict.modelVersions)).toEqual(expect.arrayContaining(['fr_detect', 'fr_feature', 'depthLiveness']));
  });

  it('runs every model on the first frame only, and samples embedding and depth on every third frame', async () => {
    const frames = await buildPresentation(customers[0], 'genuine', 3);
    const evidence = new LivenessEvidence(policy);
    const plans = [];
    for (const frame of frames.slice(0, 7)) {
      const plan = evidence.planNext(true);
      plans.push(plan);
      evidence.add(frame.seq, frame.capturedAtMs, await analyzer.analyze(frame, plan));
    }
    expect(plans.map(({ identity, depth }) => ({ identity, depth }))).toEqual([
      { identity: 'full', depth: true },
      { identity: 'none', depth: false },
      { identity: 'none', depth: false },
      { identity: 'embedding', depth: true },
      { identity: 'none', depth: false },
      { identity: 'none', depth: false },
      { identity: 'embedding', depth: true },
    ]);
    // The detector runs on the sampled frames; in between, the box is carried from the previous frame's landmarks.
    expect(plans.map((p) => p.carriedFace != null)).toEqual([false, true, true, false, true, true, false]);
    expect(evidence.best?.seq).toBe(0);
  });

  it('carries the face box only from the frame just analysed: a refused frame makes the next one detect', async () => {
    const frames = await buildPresentation(customers[0], 'genuine', 7);
    const evidence = new LivenessEvidence(policy);
    const first = await analyzer.analyze(frames[0], evidence.planNext(true));
    evidence.add(frames[0].seq, frames[0].capturedAtMs, first);
    const carried = evidence.planNext(true);
    expect(carried.carriedFace?.anchor).toEqual(first.carry.anchor);
    const tracked = await analyzer.analyze(frames[1], carried);
    expect(tracked.detected).toBe(false);
    expect(tracked.timingsMs['detect']).toBeUndefined();
    // Frame 1 counts as refused (never added): frame 2 is not a sampled frame, yet it must detect.
    const afterRefusal = evidence.planNext(true);
    expect(afterRefusal.carriedFace).toBeNull();
    expect((await analyzer.analyze(frames[2], afterRefusal)).detected).toBe(true);
    const detectEveryFrame = new LivenessEvidence({ ...policy, carryFaceBetweenSamples: false });
    detectEveryFrame.add(frames[0].seq, frames[0].capturedAtMs, await analyzer.analyze(frames[0], detectEveryFrame.planNext(true)));
    expect(detectEveryFrame.planNext(true).carriedFace).toBeNull();
  });

  it('keeps the probe for the first frame with a face when earlier frames were refused (payer not yet in view)', async () => {
    const frames = await buildPresentation(customers[0], 'genuine', 6);
    const evidence = new LivenessEvidence(policy);
    // Four frames refused before analysis finished (no face): planned, never added.
    for (let i = 0; i < 4; i++) expect(evidence.planNext(true).identity).toBe('full');
    const plan = evidence.planNext(true);
    expect(plan.identity).toBe('full');
    evidence.add(frames[0].seq, frames[0].capturedAtMs, await analyzer.analyze(frames[0], plan));
    expect(evidence.best?.seq).toBe(frames[0].seq);
    expect(evidence.planNext(true).identity).not.toBe('full');
  });

  it('asks for a retry (inconclusive) when the face track jumps between frames, even if every signal says live', async () => {
    const frames = await buildPresentation(customers[0], 'genuine', 5);
    const evidence = new LivenessEvidence(policy);
    for (const [index, frame] of frames.entries()) {
      const analysis = await analyzer.analyze(frame, evidence.planNext(true));
      // Frame 4 (tracked only, between samples) reports a face box elsewhere in the view.
      const box = index === 4 ? { ...analysis.box, x1: analysis.box.x1 + 200, x2: analysis.box.x2 + 200 } : analysis.box;
      evidence.add(frame.seq, frame.capturedAtMs, { ...analysis, box });
      if (evidence.conclusive()) break;
    }
    const verdict = evidence.decide();
    expect(verdict.verdict).toBe('inconclusive');
    expect(verdict.reasons.join()).toMatch(/face_track_lost/);
  });

  it.each([
    ['print', 'print'],
    ['bent_print', 'bent_print'],
    ['screen_replay', 'screen_replay'],
    ['rigid_mask', 'rigid_mask'],
  ] as Array<[Species, string]>)('calls a %s a spoof of species %s', async (species, expected) => {
    const verdict = (await feed(await buildPresentation(customers[0], species, 2))).decide();
    expect(verdict).toMatchObject({ verdict: 'spoof', attackSpecies: expected });
  });

  it('never calls a print without depth live (inconclusive: depth is required)', async () => {
    const verdict = (await feed(await buildPresentation(customers[0], 'print_no_depth', 2))).decide();
    expect(verdict.verdict).toBe('inconclusive');
  });

  it('refuses a live smile that lends itself to another person shown in between', async () => {
    const genuine = await buildPresentation(customers[0], 'genuine', 4);
    const other = await buildPresentation(customers[1], 'genuine', 4);
    // Customer 0's neutral frames, then customer 1 smiles: liveness alone would pass.
    const mixed = [...genuine.slice(0, 3), ...other.slice(3)].map((f, seq) => ({ ...f, seq }));
    const verdict = (await feed(mixed)).decide();
    expect(verdict.verdict).toBe('spoof');
    expect(verdict.reasons.join()).toMatch(/face_changed_during_capture/);
  });
});
