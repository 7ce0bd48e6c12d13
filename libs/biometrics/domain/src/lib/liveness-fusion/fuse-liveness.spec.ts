import { DepthLivenessResult, DepthClassification } from '../depth-liveness/depth-liveness';
import { SmileChallengeResult, SmileChallengeStatus } from '../smile-challenge/smile-challenge';
import { fuseLiveness } from './fuse-liveness';
import { DEFAULT_LIVENESS_THRESHOLDS, validateLivenessThresholds } from './liveness-thresholds';
import { LivenessConfigError } from './config-error';

function depth(classification: DepthClassification, score = classification === 'genuine' ? 0.9 : 0): DepthLivenessResult {
  const nan = Number.NaN;
  return {
    classification,
    score,
    reasons: [`depth ${classification}`],
    metrics: {
      samples: 1000,
      validFraction: 1,
      medianDistanceMm: 450,
      mmPerPx: 0.8,
      planeRmsMm: nan,
      reliefMm: nan,
      noseProtrusionMm: nan,
      quadricRmsMm: nan,
      noseAboveQuadricMm: nan,
      curvatureMajorPerM: nan,
      curvatureMinorPerM: nan,
    },
  };
}

function smile(status: SmileChallengeStatus, score = status === 'passed' ? 0.8 : 0): SmileChallengeResult {
  return {
    status,
    score,
    framesSeen: 10,
    elapsedMs: 2000,
    baseline: null,
    peakWidthGainRatio: 0,
    peakCornerLiftGain: 0,
    smileOnsetMs: null,
    reasons: [`smile ${status}`],
  };
}

describe('fuseLiveness', () => {
  describe('when every signal agrees on a live face', () => {
    it('says live with no attack species and the fused score', () => {
      const verdict = fuseLiveness({ rgbLivenessScore: 0.9, depth: depth('genuine'), smile: smile('passed'), modelVersions: { fr_liveness: 'x' } });
      expect(verdict.verdict).toBe('live');
      expect(verdict.attackSpecies).toBe('none');
      expect(verdict.scores.fused).toBeCloseTo((0.15 * 0.9 + 0.55 * 0.9 + 0.3 * 0.8) / 1, 9);
      expect(verdict.modelVersions).toMatchObject({ fr_liveness: 'x', depthLiveness: expect.any(String) });
    });
  });

  describe('when depth shows a sheet', () => {
    it.each([
      ['flat', 'print'],
      ['screen', 'screen_replay'],
      ['bent', 'bent_print'],
      ['implausible', 'unknown'],
    ] as const)('%s depth is a spoof of species %s, even with a passed smile and a confident RGB model', (classification, species) => {
      const verdict = fuseLiveness({ rgbLivenessScore: 0.99, depth: depth(classification), smile: smile('passed') });
      expect(verdict.verdict).toBe('spoof');
      expect(verdict.attackSpecies).toBe(species);
    });
  });

  describe('when the smile challenge fails', () => {
    it('calls real relief without expression a rigid mask', () => {
      const verdict = fuseLiveness({ rgbLivenessScore: 0.9, depth: depth('genuine'), smile: smile('failed') });
      expect(verdict).toMatchObject({ verdict: 'spoof', attackSpecies: 'rigid_mask' });
    });

    it('calls a static presentation without depth a spoof of unknown species', () => {
      const verdict = fuseLiveness({ depth: null, smile: smile('failed') }, { ...DEFAULT_LIVENESS_THRESHOLDS, requireDepth: false });
      expect(verdict).toMatchObject({ verdict: 'spoof', attackSpecies: 'unknown' });
    });
  });

  describe('when evidence is missing or weak', () => {
    it('is inconclusive without depth, with unusable depth, or with a pending smile', () => {
      expect(fuseLiveness({ smile: smile('passed') }).reasons).toContain('depth_missing');
      expect(fuseLiveness({ depth: depth('insufficient_data'), smile: smile('passed') }).verdict).toBe('inconclusive');
      const pending = fuseLiveness({ depth: depth('genuine'), smile: smile('pending') });
      expect(pending).toMatchObject({ verdict: 'inconclusive', attackSpecies: 'none' });
      expect(pending.reasons).toContain('smile_pending');
    });

    it('does not let the unvalidated RGB model gate a live verdict by default', () => {
      const verdict = fuseLiveness({ rgbLivenessScore: 0.01, depth: depth('genuine'), smile: smile('passed') });
      expect(verdict.verdict).toBe('live');
      expect(verdict.reasons.join(' ')).toContain('rgb_liveness 0.010');
    });

    it('lets a low RGB score make a live verdict inconclusive when the operator sets rgbMinLive', () => {
      const thresholds = { ...DEFAULT_LIVENESS_THRESHOLDS, rgbMinLive: 0.2 };
      const verdict = fuseLiveness({ rgbLivenessScore: 0.01, depth: depth('genuine'), smile: smile('passed') }, thresholds);
      expect(verdict.verdict).toBe('inconclusive');
      expect(verdict.reasons.join(' ')).toContain('rgb_liveness_low');
    });

    it('lets the RGB model veto when the operator enables it', () => {
      const thresholds = { ...DEFAULT_LIVENESS_THRESHOLDS, rgbVetoBelow: 0.05 };
      expect(fuseLiveness({ rgbLivenessScore: 0.01, depth: depth('genuine'), smile: smile('passed') }, thresholds).verdict).toBe('spoof');
    });

    it('is inconclusive when nothing at all was measured and nothing is required', () => {
      const thresholds = { ...DEFAULT_LIVENESS_THRESHOLDS, requireDepth: false, requireSmile: false };
      expect(fuseLiveness({}, thresholds).reasons).toContain('no_liveness_signal');
    });

    it('treats a non-finite RGB score as absent', () => {
      expect(fuseLiveness({ rgbLivenessScore: Number.NaN, depth: depth('genuine'), smile: smile('passed') }).scores.rgb).toBeNull();
    });
  });
});

describe('validateLivenessThresholds', () => {
  it('accepts the defaults', () => {
    expect(validateLivenessThresholds({ ...DEFAULT_LIVENESS_THRESHOLDS })).toEqual(DEFAULT_LIVENESS_THRESHOLDS);
  });

  it.each([
    [{ depthWeight: 1.5 }, 'thresholds.depthWeight'],
    [{ rgbMinLive: '0.2' }, 'thresholds.rgbMinLive'],
    [{ requireDepth: 1 }, 'thresholds.requireDepth'],
    [{ rgbWeight: 0, depthWeight: 0, smileWeight: 0 }, 'thresholds.depthWeight'],
    [{ rgbVetoBelow: 0.5, rgbMinLive: 0.2 }, 'thresholds.rgbVetoBelow'],
    [{ fusedMinLive: undefined }, 'thresholds.fusedMinLive'],
  ])('rejects %j naming %s', (patch, field) => {
    try {
      validateLivenessThresholds({ ...DEFAULT_LIVENESS_THRESHOLDS, ...patch });
      throw new Error('expected a LivenessConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(LivenessConfigError);
      expect((error as LivenessConfigError).field).toBe(field);
    }
  });

  it('rejects a non-object', () => {
    expect(() => validateLivenessThresholds(null)).toThrow(LivenessConfigError);
  });
});
