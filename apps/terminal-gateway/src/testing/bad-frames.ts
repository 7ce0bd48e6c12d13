import sharp from 'sharp';
import { PNG } from 'pngjs';
import { encodeDepthPng, encodeRgbJpeg, RgbImage, type Customer } from '@smilepay/biometrics/infrastructure';

/** Hostile or broken frames, each meant to trigger one specific error code. */
export async function badFrames(customers: Customer[], good: { rgb: Buffer; depth?: Buffer }) {
  const rgb = good.rgb;
  const corruptHeader = Buffer.from(rgb);
  // The JPEG magic stays, so the frame is sniffed as JPEG; the markers after it are garbage.
  corruptHeader.fill(0x5a, 4, 400);
  const pngFrame = await sharp(await sharp(rgb).raw().toBuffer(), { raw: { width: 640, height: 480, channels: 3 } }).png().toBuffer();
  const tiny = await sharp({ create: { width: 32, height: 32, channels: 3, background: { r: 120, g: 90, b: 80 } } }).jpeg().toBuffer();
  const gradient = await encodeRgbJpeg(gradientImage(640, 480));
  return {
    corruptJpeg: corruptHeader,
    truncatedJpeg: rgb.subarray(0, Math.floor(rgb.length * 0.6)),
    truncatedPng: pngFrame.subarray(0, Math.floor(pngFrame.length * 0.5)),
    notAnImage: Buffer.from('GIF89a this is not what a terminal camera sends'),
    tinyJpeg: tiny,
    noFace: gradient,
    twoFaces: await encodeRgbJpeg(sideBySide(customers[0].frame, customers[1].frame)),
    smallDepth: encodeDepthPng({ width: 320, height: 240, data: new Uint16Array(320 * 240).fill(600) }),
    eightBitDepth: PNG.sync.write(Object.assign(new PNG({ width: 640, height: 480 }), { data: Buffer.alloc(640 * 480 * 4, 200) })),
    /** Between maxFrameBytes (2 MB) and the socket's message limit: refused by the gateway with a code. */
    threeMegabytes: Buffer.concat([rgb, Buffer.alloc(3 * 1024 * 1024)]),
    fiftyMegabytes: Buffer.alloc(50 * 1024 * 1024, 0xff),
  };
}

function gradientImage(width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data.set([(x * 255) / width, (y * 255) / height, 128], (y * width + x) * 3);
  }
  return { width, height, data };
}

/** Two customers' faces in one 640x480 frame: two people in front of the terminal. */
function sideBySide(a: RgbImage, b: RgbImage): RgbImage {
  const out = new Uint8Array(640 * 480 * 3);
  for (let y = 0; y < 480; y++) {
    out.set(a.data.subarray((y * 640 + 160) * 3, (y * 640 + 480) * 3), y * 640 * 3);
    out.set(b.data.subarray((y * 640 + 160) * 3, (y * 640 + 480) * 3), (y * 640 + 320) * 3);
  }
  return { width: 640, height: 480, data: out };
}
