import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { defaultManifestPath } from './model-manifest';

// The plain-Node set-up script (tools/models/fetch-models.js): a wrong hash must stop it, loudly.
const { ensureModels } = require(path.join(path.dirname(defaultManifestPath()), 'fetch-models.js')) as {
  ensureModels(options: Record<string, unknown>): { fetched: number };
};

describe('tools/models/fetch-models.js', () => {
  let scratch: string;
  const silent = () => undefined;
  beforeEach(() => {
    scratch = mkdtempSync(path.join(tmpdir(), 'smilepay-fetch-spec-'));
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  it('returns at once when every cached file matches its hash', () => {
    expect(ensureModels({ log: silent, check: true }).fetched).toBe(0);
  });

  it('in check mode, names the missing files and says how to fetch them', () => {
    expect(() => ensureModels({ log: silent, check: true, modelDir: scratch, imageDir: scratch })).toThrow(/missing or corrupt: fr_detect\.onnx.*npm run models/);
  });

  it('refuses bytes from the registry that do not match the manifest', () => {
    const manifest = JSON.parse(readFileSync(defaultManifestPath(), 'utf8'));
    const tampered = {
      ...manifest,
      models: [],
      images: [{ ...manifest.images.find((i: { file: string }) => i.file === 'sample1.jpg'), sha256: '0'.repeat(64) }],
    };
    const manifestPath = path.join(scratch, 'manifest.json');
    writeFileSync(manifestPath, JSON.stringify(tampered));
    expect(() => ensureModels({ log: silent, manifestPath, modelDir: scratch, imageDir: path.join(scratch, 'images') })).toThrow(/SHA-256 mismatch for sample1\.jpg/);
  }, 180_000);
});
