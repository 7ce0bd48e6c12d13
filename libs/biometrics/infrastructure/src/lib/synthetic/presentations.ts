import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FaceBox, Landmarks68 } from '@smilepay/biometrics/domain';
import { decodeRgb, encodeDepthPng, encodeRgbJpeg } from '../frames/decode-frame';
import type { RgbImage } from '../image/rgb-image';
import { loadModels } from '../models/load-models';
import { defaultImageDir } from '../models/model-manifest';
import { FaceAnalysisError, FacePipeline } from '../pipeline/face-pipeline';
import { synthesizeDepth, type SyntheticDepthKind } from './synthetic-depth';
import { synthesizeSmileSequence, type SyntheticFrame, type SyntheticSmileKind } from './synthetic-smile';
import { composeTerminalFrame } from './terminal-frame';

/**
 * What a terminal's cameras see, for the simulator, the gateway's tests and the evaluation. Genuine customers are real
 * photos (framed as a terminal would see them) with SYNTHETIC depth and a SYNTHETIC smile; every attack species is
 * SYNTHETIC. Figures computed from these presentations are figures on synthetic data, and must say so.
 */
export type Species = 'genuine' | 'print' | 'print_no_depth' | 'bent_print' | 'screen_replay' | 'rigid_mask';
export const allSpecies: readonly Species[] = ['genuine', 'print', 'print_no_depth', 'bent_print', 'screen_replay', 'rigid_mask'];
export const attackSpecies: readonly Species[] = allSpecies.filter((s) => s !== 'genuine');

export const speciesLabel: Record<Species, string> = {
  genuine: 'genuine (real photo, synthetic depth + smile)',
  print: 'print, planar depth (synthetic)',
  print_no_depth: 'print, no depth (synthetic)',
  bent_print: 'bent print, cylindrical depth (synthetic)',
  screen_replay: 'screen replay, moiré + gamma (synthetic)',
  rigid_mask: 'rigid mask, relief, no smile (synthetic)',
};

const recipe: Record<Species, { smile: SyntheticSmileKind; depth: SyntheticDepthKind | null; recapture: boolean }> = {
  genuine: { smile: 'genuine', depth: 'genuine', recapture: false },
  print: { smile: 'still', depth: 'flat', recapture: false },
  print_no_depth: { smile: 'still', depth: null, recapture: false },
  bent_print: { smile: 'still', depth: 'bent', recapture: false },
  screen_replay: { smile: 'still', depth: 'screen', recapture: true },
  rigid_mask: { smile: 'rigid_mask', depth: 'mask', recapture: false },
};

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

export interface Presentation {
  species: Species;
  customerId: string;
  frames: EncodedFrame[];
}

export interface FindCustomersOptions {
  /** Photos larger than this (bytes, or pixels on a side) are refused by the decoder. */
  maxPhotoBytes?: number;
  maxPhotoSide?: number;
  /** Faces tried per photo, largest group photos first come first. */
  maxFacesPerPhoto?: number;
}

/** Loads the models, picks `count` customers from the cached sample photos, releases the models. */
export async function loadCustomers(count: number, options: FindCustomersOptions = {}): Promise<Customer[]> {
  const models = await loadModels();
  try {
    const customers = await findCustomers(new FacePipeline(models), defaultImageDir(), count, options);
    if (customers.length < count) throw new Error(`only ${customers.length} usable faces in ${defaultImageDir()}`);
    return customers;
  } finally {
    await models.release();
  }
}

/** Finds frontal single faces in the photos and frames each at terminal size (640x480), as a customer would stand. */
export async function findCustomers(pipeline: FacePipeline, imageDir: string, max: number, options: FindCustomersOptions = {}): Promise<Customer[]> {
  const { maxPhotoBytes = 32 * 1024 * 1024, maxPhotoSide = 8192, maxFacesPerPhoto = 12 } = options;
  const customers: Customer[] = [];
  const files = readdirSync(imageDir).filter((f) => /\.(jpe?g|png)$/i.test(f)).sort();
  for (const file of files) {
    const photo = await decodeRgb(readFileSync(join(imageDir, file)), { maxBytes: maxPhotoBytes, maxWidth: maxPhotoSide, maxHeight: maxPhotoSide });
    const faces = (await pipeline.detect(photo)).filter((f) => f.y2 - f.y1 >= 60).slice(0, maxFacesPerPhoto);
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
      const m = analysis.quality.metrics;
      // Frontal faces only: a face near the pose limits flips in and out of the quality gate from frame to frame.
      if (!analysis.quality.passed || Math.abs(m.yawDeg) > 20 || Math.abs(m.pitchDeg) > 20) return null;
      return { id, frame, box: analysis.box, landmarks: analysis.landmarks68 };
    } catch (error) {
      if (!(error instanceof FaceAnalysisError) || error.code !== 'multiple_faces') return null;
    }
  }
  return null;
}

/** Greys out everything but an ellipse around the frame centre, so neighbours in a group photo leave the frame. */
function maskAround(image: RgbImage): RgbImage {
  const out = new Uint8Array(image.data);
  const [cx, cy, rx, ry] = [image.width / 2, image.height / 2, image.height * 0.3, image.height * 0.42];
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      if (((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 > 1) out.fill(127, (y * image.width + x) * 3, (y * image.width + x) * 3 + 3);
    }
  }
  return { width: image.width, height: image.height, data: out };
}

/** A screen filmed by the terminal: display gamma plus moiré from the pixel grid beating against the sensor grid. */
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
        out[i] = Math.max(0, Math.min(255, Math.round(255 * (image.data[i] / 255) ** 0.8 + moire)));
      }
    }
  }
  return { width: image.width, height: image.height, data: out };
}

/** A rigid mask's frames span more than the smile window (5 s of capture time), so the challenge can fail. */
function smileSequence(customer: Customer, species: Species, seed: number): SyntheticFrame[] {
  const timing = species === 'rigid_mask' ? { frames: 14, frameIntervalMs: 400 } : { frames: 10, frameIntervalMs: 150 };
  return synthesizeSmileSequence(customer.frame, customer.landmarks, recipe[species].smile, { ...timing, seed });
}

/** The encoded frames of one presentation. */
export async function buildPresentation(customer: Customer, species: Species, seed: number): Promise<EncodedFrame[]> {
  return encodeFrames(customer, smileSequence(customer, species, seed), species, seed);
}

/** Presentations of every requested species for each customer; a smile sequence is synthesised once per kind. */
export async function buildPresentations(customers: Customer[], species: readonly Species[], seed: number, onEach?: () => void): Promise<Presentation[]> {
  const out: Presentation[] = [];
  for (const [index, customer] of customers.entries()) {
    const smiles = new Map<SyntheticSmileKind, SyntheticFrame[]>();
    for (const kind of species) {
      const smile = recipe[kind].smile;
      const sequence = smiles.get(smile) ?? smileSequence(customer, kind, seed + index);
      smiles.set(smile, sequence);
      out.push({ species: kind, customerId: customer.id, frames: await encodeFrames(customer, sequence, kind, seed + index) });
      onEach?.();
    }
  }
  return out;
}

async function encodeFrames(customer: Customer, sequence: SyntheticFrame[], species: Species, seed: number): Promise<EncodedFrame[]> {
  const r = recipe[species];
  const size = { width: customer.frame.width, height: customer.frame.height };
  const frames: EncodedFrame[] = [];
  for (const [seq, f] of sequence.entries()) {
    const image = r.recapture ? recaptureArtefacts(f.image, seed) : f.image;
    const depth = r.depth ? encodeDepthPng(synthesizeDepth(r.depth, customer.box, customer.landmarks, size, { seed: seed * 100 + seq })) : undefined;
    frames.push({ seq, capturedAtMs: f.timestampMs, rgb: await encodeRgbJpeg(image, 90), ...(depth ? { depth } : {}) });
  }
  return frames;
}
