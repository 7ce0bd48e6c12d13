import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FaceBox, Landmarks68 } from '@smilepay/biometrics/domain';
import {
  composeTerminalFrame,
  decodeRgb,
  defaultImageDir,
  loadModels,
  encodeDepthPng,
  encodeRgbJpeg,
  FaceAnalysisError,
  FacePipeline,
  RgbImage,
  synthesizeDepth,
  synthesizeSmileSequence,
  SyntheticDepthKind,
  SyntheticSmileKind,
} from '@smilepay/biometrics/infrastructure';

/**
 * SYNTHETIC presentations for tests: real face photos from the image cache, composed into terminal-sized frames,
 * with synthetic depth and a synthetic smile (see the biometrics library). Attack species are synthesised too;
 * every figure computed from them is a figure on synthetic data.
 */
export interface Customer {
  id: string;
  frame: RgbImage;
  box: FaceBox;
  landmarks: Landmarks68;
}

export interface EncodedFrame {
  seq: number;
  capturedAtMs: number;
  rgb: Buffer;
  depth?: Buffer;
}

export type Species = 'genuine' | 'print' | 'print_no_depth' | 'bent_print' | 'screen_replay' | 'rigid_mask';
export const attackSpecies: readonly Species[] = ['print', 'print_no_depth', 'bent_print', 'screen_replay', 'rigid_mask'];

const recipe: Record<Species, { smile: SyntheticSmileKind; depth: SyntheticDepthKind | null; recapture: boolean }> = {
  genuine: { smile: 'genuine', depth: 'genuine', recapture: false },
  print: { smile: 'still', depth: 'flat', recapture: false },
  print_no_depth: { smile: 'still', depth: null, recapture: false },
  bent_print: { smile: 'still', depth: 'bent', recapture: false },
  screen_replay: { smile: 'still', depth: 'screen', recapture: true },
  rigid_mask: { smile: 'rigid_mask', depth: 'mask', recapture: false },
};

/** The terminal side's own look at the photos: loads the models, picks `count` customers, releases the models. */
export async function loadCustomers(count: number): Promise<Customer[]> {
  const models = await loadModels();
  try {
    const customers = await findCustomers(new FacePipeline(models), defaultImageDir(), count);
    if (customers.length < count) throw new Error(`only ${customers.length} usable faces in ${defaultImageDir()}`);
    return customers;
  } finally {
    await models.release();
  }
}

/** Finds single, well-exposed faces in the cached photos and frames each as a customer at a terminal. */
export async function findCustomers(pipeline: FacePipeline, imageDir: string, max: number): Promise<Customer[]> {
  const customers: Customer[] = [];
  const files = readdirSync(imageDir).filter((f) => /\.(jpe?g|png)$/i.test(f)).sort();
  for (const file of files) {
    const photo = await decodeRgb(readFileSync(join(imageDir, file)), { maxBytes: 16 * 1024 * 1024, maxWidth: 4096, maxHeight: 4096 });
    const faces = (await pipeline.detect(photo)).filter((f) => f.y2 - f.y1 >= 60).slice(0, 8);
    for (const [index, face] of faces.entries()) {
      const customer = await frameCustomer(pipeline, photo, face, `${file}#${index}`);
      if (customer) customers.push(customer);
      if (customers.length >= max) return customers;
    }
  }
  return customers;
}

async function frameCustomer(pipeline: FacePipeline, photo: RgbImage, face: FaceBox, id: string): Promise<Customer | null> {
  for (const frame of [composeTerminalFrame(photo, face), maskAround(composeTerminalFrame(photo, face))]) {
    try {
      const analysis = await pipeline.analyze(frame);
      // Frontal faces only: a face near the pose limits flips in and out of the quality gate from frame to frame.
      const m = analysis.quality.metrics;
      if (!analysis.quality.passed || Math.abs(m.yawDeg) > 20 || Math.abs(m.pitchDeg) > 20) return null;
      return { id, frame, box: analysis.box, landmarks: analysis.landmarks68 };
    } catch (error) {
      if (!(error instanceof FaceAnalysisError) || error.code !== 'multiple_faces') return null;
    }
  }
  return null;
}

/** Greys out everything but an ellipse around the frame centre: neighbours in a group photo leave the frame. */
function maskAround(image: RgbImage): RgbImage {
  const out = new Uint8Array(image.data);
  const cx = image.width / 2;
  const cy = image.height / 2;
  const rx = image.height * 0.3;
  const ry = image.height * 0.42;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      if (((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 > 1) out.fill(127, (y * image.width + x) * 3, (y * image.width + x) * 3 + 3);
    }
  }
  return { width: image.width, height: image.height, data: out };
}

/**
 * A screen recaptured by a camera: display gamma and a moiré interference pattern from the pixel grid beating
 * against the sensor grid.
 */
export function recaptureArtefacts(image: RgbImage, seed: number): RgbImage {
  const out = new Uint8Array(image.data.length);
  const angle = 0.3 + (seed % 7) * 0.1;
  const period = 3.1 + (seed % 5) * 0.2;
  const [c, s] = [Math.cos(angle), Math.sin(angle)];
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const moire = 10 * Math.sin((2 * Math.PI * (x * c + y * s)) / period) * Math.sin((2 * Math.PI * (x * s - y * c)) / (period * 1.07));
      for (let ch = 0; ch < 3; ch++) {
        const i = (y * image.width + x) * 3 + ch;
        const gamma = 255 * (image.data[i] / 255) ** 0.8;
        out[i] = Math.max(0, Math.min(255, Math.round(gamma + moire)));
      }
    }
  }
  return { width: image.width, height: image.height, data: out };
}

/** Encoded frames of one presentation. Attacks with a rigid mask span the smile window so it can fail. */
export async function buildPresentation(customer: Customer, species: Species, seed: number): Promise<EncodedFrame[]> {
  const r = recipe[species];
  const timing = species === 'rigid_mask' ? { frames: 14, frameIntervalMs: 400 } : { frames: 10, frameIntervalMs: 150 };
  const sequence = synthesizeSmileSequence(customer.frame, customer.landmarks, r.smile, { ...timing, seed });
  const size = { width: customer.frame.width, height: customer.frame.height };
  const frames: EncodedFrame[] = [];
  for (const [seq, f] of sequence.entries()) {
    const image = r.recapture ? recaptureArtefacts(f.image, seed) : f.image;
    const depth = r.depth ? encodeDepthPng(synthesizeDepth(r.depth, customer.box, customer.landmarks, size, { seed: seed * 100 + seq })) : undefined;
    frames.push({ seq, capturedAtMs: f.timestampMs, rgb: await encodeRgbJpeg(image, 90), ...(depth ? { depth } : {}) });
  }
  return frames;
}
