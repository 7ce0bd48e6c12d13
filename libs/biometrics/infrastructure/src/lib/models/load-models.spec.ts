import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ModelLoadError, loadModels } from './load-models';
import { defaultManifestPath, defaultModelDir, readModelManifest } from './model-manifest';

async function expectCode(promise: Promise<unknown>, code: ModelLoadError['code']): Promise<void> {
  await expect(promise).rejects.toBeInstanceOf(ModelLoadError);
  await promise.catch((error: ModelLoadError) => expect(error.code).toBe(code));
}

describe('loadModels', () => {
  let scratch: string;
  beforeEach(() => {
    scratch = mkdtempSync(path.join(tmpdir(), 'smilepay-models-spec-'));
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  it('creates the five sessions once, with versions naming package, file and hash', async () => {
    const models = await loadModels({ intraOpThreads: 1 });
    try {
      expect(Object.keys(models.sessions).sort()).toEqual(['fr_detect', 'fr_feature', 'fr_landmark', 'fr_liveness', 'fr_pose']);
      expect(models.versions['fr_feature']).toBe('faceplugin-face-recognition-js@0.0.1/fr_feature.onnx#87aacdfe5751');
      expect(models.intraOpThreads).toBe(1);
    } finally {
      await models.release();
    }
  });

  it('refuses a thread count outside 1..16', async () => {
    await expectCode(loadModels({ intraOpThreads: 0 }), 'bad_option');
    await expectCode(loadModels({ intraOpThreads: 1.5 }), 'bad_option');
  });

  it('says to run `npm run models` when a file is missing', async () => {
    await expect(loadModels({ modelDir: scratch })).rejects.toThrow(/npm run models/);
    await expectCode(loadModels({ modelDir: scratch }), 'model_missing');
  });

  it('refuses a model whose bytes do not match the manifest hash', async () => {
    const manifest = readModelManifest(defaultManifestPath());
    for (const model of manifest.models) copyFileSync(path.join(defaultModelDir(), model.file), path.join(scratch, model.file));
    // Swap two files: each is a valid ONNX model, but not the one the manifest pins.
    copyFileSync(path.join(defaultModelDir(), 'fr_pose.onnx'), path.join(scratch, 'fr_detect.onnx'));
    await expectCode(loadModels({ modelDir: scratch }), 'model_checksum_mismatch');
  });

  it('reports a file that is not an ONNX model when checksums are not verified', async () => {
    const manifestPath = path.join(scratch, 'manifest.json');
    const manifest = readModelManifest(defaultManifestPath());
    for (const model of manifest.models) writeFileSync(path.join(scratch, model.file), 'not a model');
    writeFileSync(manifestPath, JSON.stringify(manifest));
    await expectCode(loadModels({ modelDir: scratch, manifestPath, verifyChecksums: false }), 'model_invalid');
  });
});
