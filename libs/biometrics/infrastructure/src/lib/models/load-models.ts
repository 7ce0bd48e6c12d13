import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { InferenceSession } from 'onnxruntime-node';
import { FACE_MODEL_IDS, FaceModelId, ManifestModel, ModelManifest, defaultManifestPath, defaultModelDir, modelVersion, readModelManifest } from './model-manifest';

export interface LoadModelsOptions {
  /** Directory holding the .onnx files; defaults to SMILEPAY_MODEL_DIR or <repo>/.cache/models. */
  readonly modelDir?: string;
  /** onnxruntime intra-op threads per session. Default 1: the terminal gateway runs on shared cores. */
  readonly intraOpThreads?: number;
  /** Defaults to <repo>/tools/models/manifest.json. */
  readonly manifestPath?: string;
  /** Check each file's SHA-256 against the manifest before loading (default true; about 50 ms for all five). */
  readonly verifyChecksums?: boolean;
}

/** The loaded sessions, created once and shared by every FacePipeline call. */
export interface FaceModels {
  readonly sessions: Readonly<Record<FaceModelId, InferenceSession>>;
  readonly manifest: ModelManifest;
  readonly specs: Readonly<Record<FaceModelId, ManifestModel>>;
  /** model id → package@version/file#sha256-prefix, for audit trails. */
  readonly versions: Readonly<Record<string, string>>;
  readonly intraOpThreads: number;
  /** Releases the native sessions. */
  release(): Promise<void>;
}

export class ModelLoadError extends Error {
  constructor(
    readonly code: 'model_missing' | 'model_checksum_mismatch' | 'model_invalid' | 'bad_option',
    message: string,
  ) {
    super(message);
    this.name = 'ModelLoadError';
  }
}

const MAX_THREADS = 16;

export async function loadModels(options: LoadModelsOptions = {}): Promise<FaceModels> {
  const intraOpThreads = options.intraOpThreads ?? 1;
  if (!Number.isInteger(intraOpThreads) || intraOpThreads < 1 || intraOpThreads > MAX_THREADS) {
    throw new ModelLoadError('bad_option', `intraOpThreads must be an integer in [1, ${MAX_THREADS}], got ${intraOpThreads}`);
  }
  const manifest = readModelManifest(options.manifestPath ?? defaultManifestPath());
  const modelDir = options.modelDir ?? defaultModelDir();
  const specs = {} as Record<FaceModelId, ManifestModel>;
  const sessions = {} as Record<FaceModelId, InferenceSession>;
  const sessionOptions: InferenceSession.SessionOptions = {
    intraOpNumThreads: intraOpThreads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  };
  try {
    for (const id of FACE_MODEL_IDS) {
      const spec = manifest.models.find((m) => m.id === id) as ManifestModel;
      const bytes = readModelFile(modelDir, spec, options.verifyChecksums ?? true);
      specs[id] = spec;
      sessions[id] = await createSession(bytes, spec, sessionOptions);
    }
  } catch (error) {
    await Promise.all(Object.values(sessions).map((s) => s.release()));
    throw error;
  }
  const versions: Record<string, string> = {};
  for (const id of FACE_MODEL_IDS) versions[id] = modelVersion(specs[id]);
  return {
    sessions,
    manifest,
    specs,
    versions,
    intraOpThreads,
    release: async () => {
      await Promise.all(Object.values(sessions).map((s) => s.release()));
    },
  };
}

function readModelFile(modelDir: string, spec: ManifestModel, verify: boolean): Uint8Array {
  const file = path.join(modelDir, spec.file);
  if (!existsSync(file)) {
    throw new ModelLoadError('model_missing', `model file ${file} is missing; run \`npm run models\``);
  }
  const bytes = readFileSync(file);
  if (verify) {
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== spec.sha256) {
      throw new ModelLoadError('model_checksum_mismatch', `${file}: sha256 ${actual} does not match the manifest's ${spec.sha256}`);
    }
  }
  return bytes;
}

async function createSession(bytes: Uint8Array, spec: ManifestModel, options: InferenceSession.SessionOptions): Promise<InferenceSession> {
  let session: InferenceSession;
  try {
    session = await InferenceSession.create(bytes, options);
  } catch (error) {
    throw new ModelLoadError('model_invalid', `${spec.file}: onnxruntime could not load it: ${(error as Error).message}`);
  }
  if (!session.inputNames.includes(spec.input.name)) {
    await session.release();
    throw new ModelLoadError('model_invalid', `${spec.file}: no input named ${spec.input.name} (has ${session.inputNames.join(', ')})`);
  }
  return session;
}
