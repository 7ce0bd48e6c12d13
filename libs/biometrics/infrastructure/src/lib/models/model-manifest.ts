import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/** The models the face pipeline needs, by manifest id. */
export type FaceModelId = 'fr_detect' | 'fr_landmark' | 'fr_feature' | 'fr_liveness' | 'fr_pose';
export const FACE_MODEL_IDS: readonly FaceModelId[] = ['fr_detect', 'fr_landmark', 'fr_feature', 'fr_liveness', 'fr_pose'];

export interface ModelInputSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly layout: 'NCHW';
  readonly channelOrder: 'RGB' | 'BGR' | 'GREY';
  /** Per-channel (or single) value subtracted before scaling, in 0..255 units unless valueRange says 0..1. */
  readonly mean: number | readonly number[];
  /** Multiplier after subtracting the mean, or `std` (divisor) when given. */
  readonly scale?: number | readonly number[];
  readonly std?: readonly number[];
  readonly valueRange?: '0..1' | '0..255';
}

export interface ManifestModel {
  readonly id: string;
  readonly task: string;
  readonly file: string;
  readonly source: { readonly package: string; readonly version: string; readonly path: string };
  readonly sha256: string;
  readonly bytes?: number;
  readonly input: ModelInputSpec;
  readonly outputs: Readonly<Record<string, string>>;
  readonly preprocessing: string;
  readonly licence: string;
}

export interface ManifestImage {
  readonly file: string;
  readonly source: { readonly package: string; readonly version: string; readonly path: string };
  readonly sha256: string;
  readonly description: string;
}

export interface ModelManifest {
  readonly schemaVersion: 1;
  readonly models: readonly ManifestModel[];
  readonly images: readonly ManifestImage[];
}

const MANIFEST_RELATIVE = path.join('tools', 'models', 'manifest.json');

/** Walks up from `start` to the directory holding tools/models/manifest.json (the repository root). */
export function findRepoRoot(start: string = process.cwd()): string | null {
  let dir = path.resolve(start);
  for (;;) {
    if (existsSync(path.join(dir, MANIFEST_RELATIVE))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

export function defaultManifestPath(): string {
  const root = findRepoRoot() ?? findRepoRoot(__dirname);
  if (!root) throw new Error(`cannot find ${MANIFEST_RELATIVE} above ${process.cwd()}; pass manifestPath explicitly`);
  return path.join(root, MANIFEST_RELATIVE);
}

/** SMILEPAY_MODEL_DIR, else <repo>/.cache/models (what tools/models/fetch-models.js fills). */
export function defaultModelDir(): string {
  if (process.env['SMILEPAY_MODEL_DIR']) return process.env['SMILEPAY_MODEL_DIR'];
  return path.join(path.dirname(path.dirname(path.dirname(defaultManifestPath()))), '.cache', 'models');
}

/** SMILEPAY_IMAGE_DIR, else <repo>/.cache/images. */
export function defaultImageDir(): string {
  if (process.env['SMILEPAY_IMAGE_DIR']) return process.env['SMILEPAY_IMAGE_DIR'];
  return path.join(path.dirname(path.dirname(path.dirname(defaultManifestPath()))), '.cache', 'images');
}

export function readModelManifest(manifestPath: string = defaultManifestPath()): ModelManifest {
  const parsed = JSON.parse(readFileSync(manifestPath, 'utf8')) as ModelManifest;
  if (parsed.schemaVersion !== 1 || !Array.isArray(parsed.models) || !Array.isArray(parsed.images)) {
    throw new Error(`${manifestPath}: not a smilepay model manifest (schemaVersion 1 with models and images)`);
  }
  for (const id of FACE_MODEL_IDS) {
    if (!parsed.models.some((m) => m.id === id)) throw new Error(`${manifestPath}: no model with id ${id}`);
  }
  return parsed;
}

/** A short, stable version string for audit trails: package@version/file#sha256-prefix. */
export function modelVersion(model: ManifestModel): string {
  return `${model.source.package}@${model.source.version}/${model.file}#${model.sha256.slice(0, 12)}`;
}
