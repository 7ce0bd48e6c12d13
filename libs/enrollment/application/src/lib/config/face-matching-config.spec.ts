import { DEFAULT_FACE_MATCHING_CONFIG, FaceMatchingConfigError, parseFaceMatchingConfig } from './face-matching-config';

describe('parseFaceMatchingConfig', () => {
  it('defaults to the measured thresholds and reads overrides', () => {
    expect(parseFaceMatchingConfig({})).toEqual(DEFAULT_FACE_MATCHING_CONFIG);
    expect(parseFaceMatchingConfig({ FACE_MATCH_THRESHOLD: '0.55', FACE_MATCH_FMR: '0.00001' })).toMatchObject({
      matchThreshold: 0.55,
      matchFmr: 0.00001,
    });
  });

  it.each([
    ['a non-number', { FACE_MATCH_THRESHOLD: 'high' }],
    ['an FMR of 0', { FACE_MATCH_FMR: '0' }],
    ['a too-close threshold above the match threshold', { FACE_TOO_CLOSE_THRESHOLD: '0.55' }],
    ['a duplicate threshold at the match threshold', { FACE_DUPLICATE_THRESHOLD: '0.5' }],
    ['a threshold outside (-1, 1)', { FACE_DUPLICATE_THRESHOLD: '1' }],
  ])('refuses %s', (_name, env) => {
    expect(() => parseFaceMatchingConfig(env)).toThrow(FaceMatchingConfigError);
  });
});
