import { MouthMetrics } from '../mouth/mouth-metrics';
import { DEFAULT_SMILE_CHALLENGE_CONFIG, SmileChallenge, SmileChallengeConfig, validateSmileChallengeConfig } from './smile-challenge';

const NEUTRAL: MouthMetrics = { mouthWidthRatio: 0.85, cornerLiftRatio: 0.02, mouthOpenRatio: 0.01, interOcularPx: 80 };
const SMILE: MouthMetrics = { mouthWidthRatio: 0.98, cornerLiftRatio: 0.07, mouthOpenRatio: 0.05, interOcularPx: 80 };

/** Feeds metrics at 200 ms intervals and returns the final result at `endMs`. */
function run(sequence: MouthMetrics[], endMs?: number, config: SmileChallengeConfig = DEFAULT_SMILE_CHALLENGE_CONFIG) {
  const challenge = new SmileChallenge(config);
  sequence.forEach((metrics, i) => challenge.push({ timestampMs: 1_000 + i * 200, metrics }));
  return challenge.result(endMs === undefined ? undefined : 1_000 + endMs);
}

const repeat = (m: MouthMetrics, n: number) => Array.from({ length: n }, () => m);

describe('SmileChallenge', () => {
  describe('when the payer goes from neutral to a smile in the window', () => {
    it('passes, with the onset time and a score of at least 0.5', () => {
      const result = run([...repeat(NEUTRAL, 3), ...repeat(SMILE, 3)]);
      expect(result.status).toBe('passed');
      expect(result.smileOnsetMs).toBe(600);
      expect(result.score).toBeGreaterThanOrEqual(0.5);
      expect(result.reasons[0]).toContain('smile_detected');
    });

    it('stays passed whatever comes after', () => {
      const challenge = new SmileChallenge();
      [...repeat(NEUTRAL, 3), ...repeat(SMILE, 2)].forEach((m, i) => challenge.push({ timestampMs: i * 100, metrics: m }));
      expect(challenge.push({ timestampMs: 10_000, metrics: NEUTRAL }).status).toBe('passed');
    });
  });

  describe('when the presentation cannot change expression', () => {
    it('fails a still photo (identical frames) once the window is over', () => {
      const result = run(repeat(NEUTRAL, 10), 6_000);
      expect(result.status).toBe('failed');
      expect(result.reasons[0]).toContain('smile_no_expression_change');
    });

    it('fails a photo of someone already smiling: there is no transition from its own baseline', () => {
      expect(run(repeat(SMILE, 30), 6_000).status).toBe('failed');
    });

    it('is still pending before the window is over', () => {
      expect(run(repeat(NEUTRAL, 5)).status).toBe('pending');
    });
  });

  describe('when the change is not a sustained smile', () => {
    it('ignores a single-frame landmark spike', () => {
      const result = run([...repeat(NEUTRAL, 3), SMILE, NEUTRAL, SMILE, NEUTRAL], 6_000);
      expect(result.status).toBe('failed');
      expect(result.reasons[0]).toContain('smile_not_reached_in_window');
    });

    it('needs the corners to lift, not only the mouth to widen', () => {
      const wideOnly = { ...NEUTRAL, mouthWidthRatio: 1.0 };
      expect(run([...repeat(NEUTRAL, 3), ...repeat(wideOnly, 4)], 6_000).status).toBe('failed');
      const widthDecides = { ...DEFAULT_SMILE_CHALLENGE_CONFIG, requireCornerLift: false };
      expect(run([...repeat(NEUTRAL, 3), ...repeat(wideOnly, 4)], undefined, widthDecides).status).toBe('passed');
    });

    it('fails a smile that comes after the window', () => {
      const result = run([...repeat(NEUTRAL, 27), ...repeat(SMILE, 3)]);
      expect(result.status).toBe('failed');
    });
  });

  describe('limits and bad input', () => {
    it('fails at the frame limit', () => {
      const config = { ...DEFAULT_SMILE_CHALLENGE_CONFIG, maxFrames: 5, windowMs: 60_000 };
      const result = run(repeat(NEUTRAL, 5), undefined, config);
      expect(result.status).toBe('failed');
      expect(result.reasons[0]).toContain('smile_frame_limit');
    });

    it('refuses timestamps that do not increase and metrics that are not finite', () => {
      const challenge = new SmileChallenge();
      challenge.push({ timestampMs: 100, metrics: NEUTRAL });
      expect(() => challenge.push({ timestampMs: 100, metrics: NEUTRAL })).toThrow(RangeError);
      expect(() => challenge.push({ timestampMs: 200, metrics: { ...NEUTRAL, cornerLiftRatio: Number.NaN } })).toThrow(RangeError);
    });

    it('fails with too few frames to set a baseline', () => {
      expect(run([NEUTRAL], 6_000).reasons[0]).toBe('smile_too_few_frames');
    });
  });
});

describe('validateSmileChallengeConfig', () => {
  it('accepts the defaults and names a bad field', () => {
    expect(validateSmileChallengeConfig({ ...DEFAULT_SMILE_CHALLENGE_CONFIG })).toEqual(DEFAULT_SMILE_CHALLENGE_CONFIG);
    expect(() => validateSmileChallengeConfig({ ...DEFAULT_SMILE_CHALLENGE_CONFIG, windowMs: 10 })).toThrow(/smile\.windowMs/);
    expect(() => validateSmileChallengeConfig({ ...DEFAULT_SMILE_CHALLENGE_CONFIG, requireCornerLift: 'yes' })).toThrow(/smile\.requireCornerLift/);
  });
});
