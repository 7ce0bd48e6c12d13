import type { LivenessVerdict } from '@smilepay/biometrics/domain';
import type { CheckoutContext, FrameDigest, RecordLivenessVerdict, SubmitFaceProbe } from '@smilepay/checkout/contracts';
import type { BestFrame } from './liveness-evidence';

/** Float32 values as little-endian bytes in base64: exact, and a third the size of a JSON number array. */
export function encodeEmbedding(embedding: Float32Array): string {
  const bytes = Buffer.alloc(embedding.length * 4);
  embedding.forEach((value, i) => bytes.writeFloatLE(value, i * 4));
  return bytes.toString('base64');
}

export function decodeEmbedding(base64: string): Float32Array {
  const bytes = Buffer.from(base64, 'base64');
  const out = new Float32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = bytes.readFloatLE(i * 4);
  return out;
}

/** Scores on the wire are plain numbers; a missing signal is left out rather than sent as null. */
function scoresOf(verdict: LivenessVerdict): Record<string, number> {
  return Object.fromEntries(Object.entries(verdict.scores).filter((entry): entry is [string, number] => typeof entry[1] === 'number'));
}

export function buildLivenessCommand(
  checkout: CheckoutContext,
  verdict: LivenessVerdict,
  frames: RecordLivenessVerdict['frames'],
  digests: readonly FrameDigest[],
  decisionLatencyMs: number,
  decidedAt: Date,
): RecordLivenessVerdict {
  return {
    type: 'RecordLivenessVerdict',
    checkout,
    verdict: verdict.verdict,
    scores: scoresOf(verdict),
    attackSpecies: verdict.verdict === 'spoof' ? verdict.attackSpecies : null,
    reasons: [...verdict.reasons],
    frames,
    frameDigests: digests.map((d) => ({ ...d })),
    modelVersions: { ...verdict.modelVersions },
    decisionLatencyMs: Math.round(decisionLatencyMs),
    decidedAt: decidedAt.toISOString(),
  };
}

export function buildFaceProbe(
  checkout: CheckoutContext,
  verdict: LivenessVerdict,
  best: BestFrame,
  digests: readonly FrameDigest[],
  phoneDigits: string,
  phoneDigitsKind: SubmitFaceProbe['phoneDigitsKind'],
  submittedAt: Date,
): SubmitFaceProbe {
  const { analysis } = best;
  const probeFrame = digests.find((d) => d.seq === best.seq);
  if (!probeFrame) throw new Error(`no digest for probe frame ${best.seq}`);
  return {
    type: 'SubmitFaceProbe',
    checkout,
    livenessVerdict: 'live',
    phoneDigits,
    phoneDigitsKind,
    embedding: { encoding: 'float32le-base64', dimensions: analysis.embedding.length, data: encodeEmbedding(analysis.embedding) },
    quality: {
      score: analysis.quality.score,
      faceBox: { x: analysis.box.x1, y: analysis.box.y1, width: analysis.box.x2 - analysis.box.x1, height: analysis.box.y2 - analysis.box.y1 },
      details: { ...analysis.quality.details },
    },
    probeFrame: { ...probeFrame },
    frameDigests: digests.map((d) => ({ ...d })),
    modelVersions: { ...verdict.modelVersions, ...analysis.modelVersions, ...embeddingModel(analysis.modelVersions) },
    submittedAt: submittedAt.toISOString(),
  };
}

/** The api keys templates by `modelVersions.embedding` (see SubmitFaceProbe); the pipeline names it by model id. */
function embeddingModel(versions: Record<string, string>): Record<string, string> {
  const version = versions['fr_feature'];
  return version ? { embedding: version } : {};
}
