/**
 * Face comparison thresholds (cosine similarity of embeddings), validated at boot. They belong to a model version:
 * recalibrate them whenever the embedding model changes.
 *
 * Defaults come from the only measurement available here (docs: ../shared/MODELS.md, 512-D faceplugin model):
 * genuine pairs scored 0.597 and above, impostor pairs 0.395 and below, over 375 impostor pairs. So a threshold of
 * 0.50 had no false match there, which bounds its FMR only loosely (under 1/375 ≈ 0.0027). That is the FMR recorded
 * with each match until a larger evaluation sets a lower one.
 */
export interface FaceMatchingConfig {
  /** A probe at or above this similarity matches a template. */
  matchThreshold: number;
  /** The false match rate `matchThreshold` was chosen for; recorded with every match. */
  matchFmr: number;
  /** At enrolment, another customer's face at or above this is "too close": the PIN is forced on both. */
  tooCloseThreshold: number;
  /** At enrolment, another customer's face at or above this is the same person: enrolment is refused. */
  duplicateThreshold: number;
}

export const DEFAULT_FACE_MATCHING_CONFIG: FaceMatchingConfig = {
  matchThreshold: 0.5,
  matchFmr: 0.0027,
  tooCloseThreshold: 0.4,
  duplicateThreshold: 0.6,
};

export class FaceMatchingConfigError extends Error {
  constructor(message: string) {
    super(`face matching config: ${message}`);
    this.name = 'FaceMatchingConfigError';
  }
}

function readNumber(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new FaceMatchingConfigError(`${name} must be a number`);
  return value;
}

/** Reads FACE_MATCH_THRESHOLD, FACE_MATCH_FMR, FACE_TOO_CLOSE_THRESHOLD, FACE_DUPLICATE_THRESHOLD. */
export function parseFaceMatchingConfig(env: Record<string, string | undefined>): FaceMatchingConfig {
  const d = DEFAULT_FACE_MATCHING_CONFIG;
  const config = {
    matchThreshold: readNumber(env, 'FACE_MATCH_THRESHOLD', d.matchThreshold),
    matchFmr: readNumber(env, 'FACE_MATCH_FMR', d.matchFmr),
    tooCloseThreshold: readNumber(env, 'FACE_TOO_CLOSE_THRESHOLD', d.tooCloseThreshold),
    duplicateThreshold: readNumber(env, 'FACE_DUPLICATE_THRESHOLD', d.duplicateThreshold),
  };
  validateFaceMatchingConfig(config);
  return config;
}

export function validateFaceMatchingConfig(config: FaceMatchingConfig): void {
  for (const [name, value] of Object.entries(config)) {
    if (name !== 'matchFmr' && !(value > -1 && value < 1))
      throw new FaceMatchingConfigError(`${name} must be in (-1, 1)`);
  }
  if (!(config.matchFmr > 0 && config.matchFmr < 1))
    throw new FaceMatchingConfigError('FACE_MATCH_FMR must be in (0, 1)');
  // A look-alike scoring above the match threshold could pay as the other customer: "too close" must catch it first.
  if (!(config.tooCloseThreshold <= config.matchThreshold && config.matchThreshold < config.duplicateThreshold)) {
    throw new FaceMatchingConfigError('thresholds must satisfy too-close <= match < duplicate');
  }
}
