/**
 * Evaluation of the biometric pipeline on the offline material: `npx nx run biometrics-infrastructure:eval`.
 * Face verification runs the real models on real photos. Presentation-attack figures are on SYNTHETIC depth and
 * SYNTHETIC smile sequences (labelled so in the output): no presentation-attack data exists offline.
 * Output goes to stdout as Markdown, ready to paste into docs/MODELS.md.
 */
import * as os from 'node:os';
import { cosineSimilarity, depthLiveness } from '@smilepay/biometrics/domain';
import { FacePipeline, FaceAnalysis } from '../lib/pipeline/face-pipeline';
import { loadModels } from '../lib/models/load-models';
import { defaultImageDir } from '../lib/models/model-manifest';
import { createRgbImage } from '../lib/image/rgb-image';
import { detTable, equalErrorRate, summarize, tally } from '../lib/evaluation/metrics';
import { loadEvaluationFaces, loadPresentationSources, readCachedImage } from '../lib/evaluation/evaluation-images';
import { SYNTHETIC_PRESENTATION_PLAN, SyntheticPresentationSpecies, runSyntheticPresentation } from '../lib/evaluation/synthetic-presentation';
import { SYNTHETIC_DEPTH_KINDS, synthesizeDepth } from '../lib/synthetic/synthetic-depth';

const out = (line = '') => process.stdout.write(`${line}\n`);
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
const THRESHOLDS = [0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6];
const PAD_SOURCES = Number(process.env['SMILEPAY_EVAL_PAD_SOURCES'] ?? 8);
const DEPTH_SEEDS = 5;

async function main(): Promise<void> {
  const threads = Number(process.env['SMILEPAY_EVAL_THREADS'] ?? 1);
  const models = await loadModels({ intraOpThreads: threads });
  const pipeline = new FacePipeline(models);
  const imageDir = defaultImageDir();
  out(`# Biometric evaluation, ${new Date().toISOString()}`);
  out(`Machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), Node ${process.version}, onnxruntime intra-op threads ${threads}`);
  out(`Models: ${Object.entries(models.versions).map(([k, v]) => `${k}=${v}`).join(', ')}`);
  out();
  await detection(pipeline, imageDir);
  await verification(pipeline, imageDir);
  await timing(pipeline, imageDir);
  await depthOnly(pipeline, imageDir);
  await presentationAttacks(pipeline, imageDir);
  await models.release();
}

async function detection(pipeline: FacePipeline, imageDir: string): Promise<void> {
  out('## Detection (real images)');
  let total = 0;
  for (let s = 1; s <= 6; s++) total += (await pipeline.detect(await readCachedImage(imageDir, `sample${s}.jpg`))).length;
  const blank = (await pipeline.detect(createRgbImage(640, 480, 127))).length;
  out(`- face-api sample1–6.jpg: ${total} faces detected (22 visible)`);
  out(`- blank grey 640x480 frame: ${blank} faces`);
  out();
}

async function verification(pipeline: FacePipeline, imageDir: string): Promise<void> {
  const faces = await loadEvaluationFaces(imageDir, (image) => pipeline.detect(image));
  const analysed: { identity: string; analysis: FaceAnalysis }[] = [];
  const failures: string[] = [];
  for (const face of faces) {
    try {
      analysed.push({ identity: face.identity, analysis: await pipeline.analyze(face.frame) });
    } catch (error) {
      failures.push(`${face.id}: ${(error as Error).message}`);
    }
  }
  const genuine: number[] = [];
  const impostor: number[] = [];
  for (let i = 0; i < analysed.length; i++) {
    for (let j = i + 1; j < analysed.length; j++) {
      const a = analysed[i];
      const b = analysed[j];
      const score = cosineSimilarity(a.analysis.embedding, b.analysis.embedding);
      if (a.identity === 'man' && b.identity === 'man') genuine.push(score);
      else if (a.identity === 'man' || b.identity === 'man') impostor.push(score);
    }
  }
  const man = analysed.filter((a) => a.identity === 'man').length;
  out('## Face verification (real images, real models; tiny set)');
  out(`Faces analysed: ${analysed.length} (${man} of the same man, ${analysed.length - man} other people, all women); failed: ${failures.length}${failures.length ? ` (${failures.join('; ')})` : ''}`);
  out(`Quality gate passed: ${analysed.filter((a) => a.analysis.quality.passed).length}/${analysed.length} (the facematch grid cells are ~70 px faces: too small for a terminal)`);
  out(`Genuine pairs: ${genuine.length}; impostor pairs: ${impostor.length} (man × others only; cross-gender, so optimistic)`);
  const g = summarize(genuine);
  const im = summarize(impostor);
  out(`Genuine cosine: min ${g.min.toFixed(3)}, median ${g.median.toFixed(3)}, max ${g.max.toFixed(3)}. Impostor cosine: min ${im.min.toFixed(3)}, median ${im.median.toFixed(3)}, max ${im.max.toFixed(3)}`);
  const eer = equalErrorRate(genuine, impostor);
  out(`EER ${pct(eer.eer)} at threshold ${eer.threshold.toFixed(3)}`);
  out();
  out('| threshold | FMR | false matches | FNMR | false non-matches |');
  out('|---|---|---|---|---|');
  for (const row of detTable(genuine, impostor, THRESHOLDS)) {
    out(`| ${row.threshold.toFixed(2)} | ${pct(row.fmr)} | ${row.falseMatches}/${impostor.length} | ${pct(row.fnmr)} | ${row.falseNonMatches}/${genuine.length} |`);
  }
  out(`With ${impostor.length} impostor pairs the smallest measurable non-zero FMR is ${pct(1 / impostor.length)}: nothing here says anything about payment-level FMR (1e-5 or lower).`);
  out();
}

async function timing(pipeline: FacePipeline, imageDir: string): Promise<void> {
  const [source] = await loadPresentationSources(imageDir, (image) => pipeline.detect(image), 2);
  const runs: Record<string, number>[] = [];
  for (let i = 0; i < 20; i++) runs.push({ ...(await pipeline.analyze(source.frame)).timingsMs });
  out('## Latency of analyze() on a 640x480 frame (20 runs, p50 ms)');
  out(
    Object.keys(runs[0])
      .map((k) => `${k} ${runs.map((r) => r[k]).sort((a, b) => a - b)[10].toFixed(1)}`)
      .join(', '),
  );
  out();
}

async function depthOnly(pipeline: FacePipeline, imageDir: string): Promise<void> {
  const sources = await qualitySources(pipeline, imageDir);
  const counts = new Map<string, Map<string, number>>();
  for (const source of sources) {
    const face = await pipeline.analyze(source.frame);
    for (const kind of SYNTHETIC_DEPTH_KINDS) {
      for (let seed = 1; seed <= DEPTH_SEEDS; seed++) {
        const d = synthesizeDepth(kind, face.box, face.landmarks68, source.frame, { seed });
        const result = depthLiveness(d.data, d.width, d.height, face.box, face.landmarks68);
        const row = counts.get(kind) ?? new Map<string, number>();
        row.set(result.classification, (row.get(result.classification) ?? 0) + 1);
        counts.set(kind, row);
      }
    }
  }
  const columns = ['genuine', 'flat', 'screen', 'bent', 'implausible', 'insufficient_data'];
  out(`## Depth check alone (SYNTHETIC depth: ${sources.length} real faces passing the quality gate × ${DEPTH_SEEDS} seeds per kind)`);
  out(`| synthetic kind | ${columns.join(' | ')} |`);
  out(`|---|${columns.map(() => '---').join('|')}|`);
  for (const kind of SYNTHETIC_DEPTH_KINDS) out(`| ${kind} | ${columns.map((c) => counts.get(kind)?.get(c) ?? 0).join(' | ')} |`);
  out('(A rigid mask has real relief: depth alone accepts it by design; the smile challenge rejects it.)');
  out();
}

/** Faces that pass the quality gate, as a terminal would require before it asks for liveness. */
async function qualitySources(pipeline: FacePipeline, imageDir: string) {
  return loadPresentationSources(imageDir, (image) => pipeline.detect(image), PAD_SOURCES, async (frame) => {
    try {
      return (await pipeline.analyze(frame)).quality.passed;
    } catch {
      return false;
    }
  });
}

async function presentationAttacks(pipeline: FacePipeline, imageDir: string): Promise<void> {
  const sources = await qualitySources(pipeline, imageDir);
  out(`## Presentation attacks, end to end (SYNTHETIC presentations from ${sources.length} real faces that pass the quality gate)`);
  out('Each presentation: 10 RGB frames through the real models (smile challenge on real landmarks), one synthetic depth frame, fuseLiveness with default thresholds.');
  out('| species | presentations | live | spoof | inconclusive | rate |');
  out('|---|---|---|---|---|---|');
  const species = Object.keys(SYNTHETIC_PRESENTATION_PLAN) as SyntheticPresentationSpecies[];
  const smiles = new Map<string, { width: number; lift: number; passed: boolean }[]>();
  for (const s of species) {
    const verdicts: ('live' | 'spoof' | 'inconclusive')[] = [];
    const wrongSpecies: string[] = [];
    for (const [i, source] of sources.entries()) {
      const outcome = await runSyntheticPresentation(pipeline, source.frame, s, { seed: i + 1 });
      const smileKind = SYNTHETIC_PRESENTATION_PLAN[s].smile;
      const peak = { width: outcome.smile.peakWidthGainRatio, lift: outcome.smile.peakCornerLiftGain, passed: outcome.smile.status === 'passed' };
      smiles.set(smileKind, [...(smiles.get(smileKind) ?? []), peak]);
      verdicts.push(outcome.verdict.verdict);
      if (s !== 'bona_fide' && outcome.verdict.verdict === 'spoof' && outcome.verdict.attackSpecies !== s) wrongSpecies.push(`${source.id}→${outcome.verdict.attackSpecies}`);
    }
    const t = tally(verdicts);
    const rate =
      s === 'bona_fide'
        ? `BPCER ${pct(t.spoof / t.presentations)}, inconclusive ${pct(t.inconclusive / t.presentations)}`
        : `APCER ${pct(t.live / t.presentations)}${wrongSpecies.length ? `; species mislabelled: ${wrongSpecies.join(', ')}` : ''}`;
    out(`| ${s} | ${t.presentations} | ${t.live} | ${t.spoof} | ${t.inconclusive} | ${rate} |`);
  }
  out();
  out('Smile challenge on the same SYNTHETIC sequences (peak gains over the baseline, measured by the real landmark model):');
  for (const [kind, peaks] of smiles) {
    const w = summarize(peaks.map((p) => p.width));
    const l = summarize(peaks.map((p) => p.lift));
    out(`- ${kind}: passed ${peaks.filter((p) => p.passed).length}/${peaks.length}; width gain ${pct(w.min)}–${pct(w.max)}; corner-lift gain ${l.min.toFixed(3)}–${l.max.toFixed(3)}`);
  }
  out();
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
