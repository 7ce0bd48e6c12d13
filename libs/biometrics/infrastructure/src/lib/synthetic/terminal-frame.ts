import { FaceBox } from '@smilepay/biometrics/domain';
import { RgbImage } from '../image/rgb-image';
import { rectToAffine, warpRgb } from '../image/image-ops';

export interface TerminalFrameOptions {
  readonly width: number;
  readonly height: number;
  /** Face box height as a fraction of the frame height (a payer at arm's length fills about 40–50%). */
  readonly faceHeightFraction: number;
  /** Other faces of a group photo to grey out first, so the frame holds exactly one person. */
  readonly hideFaces: readonly FaceBox[];
}

export const DEFAULT_TERMINAL_FRAME_OPTIONS: TerminalFrameOptions = Object.freeze({ width: 640, height: 480, faceHeightFraction: 0.45, hideFaces: [] });

/**
 * Crops and scales a photo so one face sits centred in a terminal-sized frame (640x480 by default), as a payer
 * would in front of the terminal's camera. Outside the photo the frame is grey. Used by tests and the simulator.
 */
export function composeTerminalFrame(image: RgbImage, face: FaceBox, options: Partial<TerminalFrameOptions> = {}): RgbImage {
  const o = { ...DEFAULT_TERMINAL_FRAME_OPTIONS, ...options };
  const source = o.hideFaces.length > 0 ? greyOut(image, o.hideFaces) : image;
  const scale = (o.height * o.faceHeightFraction) / (face.y2 - face.y1);
  const srcW = o.width / scale;
  const srcH = o.height / scale;
  const cx = (face.x1 + face.x2) / 2;
  const cy = (face.y1 + face.y2) / 2;
  return warpRgb(source, rectToAffine(cx - srcW / 2, cy - srcH / 2, srcW, srcH, o.width, o.height), o.width, o.height, 127);
}

/** Greys out each box grown by 30% (hair and chin included), so the detector no longer sees those faces. */
function greyOut(image: RgbImage, boxes: readonly FaceBox[]): RgbImage {
  const data = new Uint8Array(image.data);
  for (const b of boxes) {
    const grow = (b.y2 - b.y1) * 0.3;
    const x1 = Math.max(0, Math.floor(b.x1 - grow));
    const x2 = Math.min(image.width - 1, Math.ceil(b.x2 + grow));
    const y1 = Math.max(0, Math.floor(b.y1 - grow));
    const y2 = Math.min(image.height - 1, Math.ceil(b.y2 + grow));
    for (let y = y1; y <= y2; y++) data.fill(127, (y * image.width + x1) * 3, (y * image.width + x2 + 1) * 3);
  }
  return { width: image.width, height: image.height, data };
}
