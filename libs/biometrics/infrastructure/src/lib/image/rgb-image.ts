/** A decoded frame: 8-bit RGB, interleaved, row-major, no padding (data.length = width * height * 3). */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** A registered depth frame: millimetres per pixel, 0 = no measurement, row-major. */
export interface DepthImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint16Array;
}

/** A single-channel float image, used for grey crops fed to models and quality metrics. */
export interface GreyImage {
  readonly width: number;
  readonly height: number;
  readonly data: Float32Array;
}

export function createRgbImage(width: number, height: number, fill = 0): RgbImage {
  return { width, height, data: new Uint8Array(width * height * 3).fill(fill) };
}
