import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { FaceBox } from '@smilepay/biometrics/domain';
import { RgbImage } from '../image/rgb-image';
import { warpRgb } from '../image/image-ops';
import { decodeRgb } from '../frames/decode-frame';
import { composeTerminalFrame } from '../synthetic/terminal-frame';

/**
 * The offline face material (see docs/MODELS.md "Images") cut into single-face frames.
 *
 * Identity labels are ours, by visual inspection, and conservative:
 * - "man": the same man in screenshot-faceid.jpg, the first big crop of screenshot-facedetect.jpg and the first
 *   11 cells of the first row of screenshot-facematch.jpg (the library author's photos);
 * - "other:*": the four women of screenshot-facedetect.jpg and the 22 faces (all women) of face-api's
 *   sample1–6.jpg. Some of these women appear in more than one photo, so pairs among "other" faces are NOT used
 *   as impostor pairs: only man × other pairs are.
 */
export interface EvaluationFace {
  readonly id: string;
  readonly identity: string;
  readonly frame: RgbImage;
}

/** Geometry of the face grid in screenshot-facematch.jpg (1920x954), measured from its dark row gaps. */
export const FACEMATCH_GRID = Object.freeze({
  rowTopsPx: [283, 395, 508, 620, 733, 845],
  cellHeightPx: 107,
  cellWidthPx: 1920 / 18,
  columns: 18,
});

export const SAME_MAN_FACEMATCH_CELLS = 11;

const LARGE_IMAGE_BYTES = 10 * 1024 * 1024;

export async function readCachedImage(imageDir: string, file: string): Promise<RgbImage> {
  return decodeRgb(await readFile(path.join(imageDir, file)), { maxBytes: LARGE_IMAGE_BYTES });
}

/** One grid cell of the facematch screenshot alone on a grey canvas twice its size (no neighbours visible). */
export function facematchCell(screenshot: RgbImage, row: number, column: number): RgbImage {
  const g = FACEMATCH_GRID;
  const x = Math.round(column * g.cellWidthPx);
  const y = g.rowTopsPx[row];
  const w = Math.floor(g.cellWidthPx);
  const h = g.cellHeightPx;
  const cell = warpRgb(screenshot, [1, 0, x, 0, 1, y], w, h, 127);
  return warpRgb(cell, [1, 0, -w / 2, 0, 1, -h / 2], w * 2, h * 2, 127);
}

type Detect = (image: RgbImage) => Promise<FaceBox[]>;

/** Every face of a photo as its own terminal frame, the other faces greyed out. */
export async function singleFaceFrames(image: RgbImage, detect: Detect): Promise<RgbImage[]> {
  const faces = await detect(image);
  return faces.map((face) => composeTerminalFrame(image, face, { hideFaces: faces.filter((f) => f !== face) }));
}

export async function loadEvaluationFaces(imageDir: string, detect: Detect): Promise<EvaluationFace[]> {
  const faces: EvaluationFace[] = [];
  const faceid = await readCachedImage(imageDir, 'screenshot-faceid.jpg');
  const [faceidFrame] = await singleFaceFrames(faceid, detect);
  faces.push({ id: 'faceid', identity: 'man', frame: faceidFrame });

  const facedetect = await readCachedImage(imageDir, 'screenshot-facedetect.jpg');
  // The five large crops sit side by side at y 345..500; cut each out so the thumbnails above do not interfere.
  [5, 163, 320, 477, 634].forEach((x, i) => {
    faces.push({ id: `facedetect-${i}`, identity: i === 0 ? 'man' : `other:facedetect-${i}`, frame: warpRgb(facedetect, [1, 0, x - 20, 0, 1, 330], 200, 200, 127) });
  });

  const grid = await readCachedImage(imageDir, 'screenshot-facematch.jpg');
  for (let column = 0; column < SAME_MAN_FACEMATCH_CELLS; column++) {
    faces.push({ id: `facematch-0-${column}`, identity: 'man', frame: facematchCell(grid, 0, column) });
  }

  for (let sample = 1; sample <= 6; sample++) {
    const photo = await readCachedImage(imageDir, `sample${sample}.jpg`);
    (await singleFaceFrames(photo, detect)).forEach((frame, i) => faces.push({ id: `sample${sample}-${i}`, identity: `other:sample${sample}-${i}`, frame }));
  }
  return faces;
}

/**
 * Group photo faces (and the faceid photo) as terminal frames that pass `accept` (the eval passes the quality
 * gate, as a terminal would before liveness): the bona fide sources of the synthetic presentation-attack evaluation.
 */
export async function loadPresentationSources(
  imageDir: string,
  detect: Detect,
  limit: number,
  accept: (frame: RgbImage) => Promise<boolean> = async () => true,
): Promise<{ id: string; frame: RgbImage }[]> {
  const candidates: { id: string; frame: RgbImage }[] = [];
  const faceid = await readCachedImage(imageDir, 'screenshot-faceid.jpg');
  candidates.push({ id: 'faceid', frame: (await singleFaceFrames(faceid, detect))[0] });
  for (let sample = 1; sample <= 6; sample++) {
    const photo = await readCachedImage(imageDir, `sample${sample}.jpg`);
    (await singleFaceFrames(photo, detect)).forEach((frame, i) => candidates.push({ id: `sample${sample}-${i}`, frame }));
  }
  const sources: { id: string; frame: RgbImage }[] = [];
  for (const candidate of candidates) {
    if (sources.length >= limit) break;
    if (await accept(candidate.frame)) sources.push(candidate);
  }
  return sources;
}
