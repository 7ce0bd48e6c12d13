import sharp from 'sharp';
import { PNG } from 'pngjs';
import { DEFAULT_FRAME_LIMITS, FrameDecodeError, FrameErrorCode, checkDepthHeader, decodeDepth, decodeRgb, encodeDepthPng, encodeRgbJpeg, jpegHeader } from './decode-frame';
import { createRgbImage } from '../image/rgb-image';

async function rgbPng(width: number, height: number, channels: 3 | 4 = 3): Promise<Buffer> {
  return sharp({ create: { width, height, channels, background: { r: 200, g: 100, b: 50, alpha: 1 } } }).png().toBuffer();
}

async function expectCode(promise: Promise<unknown> | (() => unknown), code: FrameErrorCode): Promise<void> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    expect(error).toBeInstanceOf(FrameDecodeError);
    expect((error as FrameDecodeError).code).toBe(code);
    return;
  }
  throw new Error(`expected ${code}`);
}

describe('decodeRgb', () => {
  it('decodes a JPEG into interleaved RGB of the right size', async () => {
    const jpeg = await encodeRgbJpeg(createRgbImage(96, 80, 120));
    const image = await decodeRgb(jpeg);
    expect([image.width, image.height, image.data.length]).toEqual([96, 80, 96 * 80 * 3]);
    expect(Math.abs(image.data[0] - 120)).toBeLessThanOrEqual(2);
  });

  it('decodes RGBA and greyscale PNGs to 3 channels', async () => {
    const rgba = await decodeRgb(await rgbPng(70, 70, 4));
    expect(Array.from(rgba.data.slice(0, 3))).toEqual([200, 100, 50]);
    const grey = await decodeRgb(await sharp(await rgbPng(70, 70)).greyscale().png().toBuffer());
    expect(grey.data.length).toBe(70 * 70 * 3);
    expect(grey.data[0]).toBe(grey.data[1]);
  });

  it('refuses an empty frame', async () => {
    await expectCode(decodeRgb(new Uint8Array(0)), 'frame_empty');
  });

  it('refuses a frame over the byte limit before decoding it', async () => {
    await expectCode(decodeRgb(await rgbPng(100, 100), { maxBytes: 50 }), 'frame_too_large');
    expect(DEFAULT_FRAME_LIMITS.maxBytes).toBe(4 * 1024 * 1024);
  });

  it('refuses formats other than JPEG and PNG', async () => {
    const webp = await sharp(await rgbPng(80, 80)).webp().toBuffer();
    await expectCode(decodeRgb(webp), 'frame_unsupported_format');
    await expectCode(decodeRgb(Buffer.from('GIF89a........')), 'frame_unsupported_format');
  });

  it('refuses a truncated JPEG and a PNG with a garbled body', async () => {
    const jpeg = await encodeRgbJpeg(createRgbImage(200, 200, 90));
    await expectCode(decodeRgb(jpeg.subarray(0, Math.floor(jpeg.length / 2))), 'frame_corrupt');
    const png = Buffer.from(await rgbPng(80, 80));
    png.fill(0x55, 40);
    await expectCode(decodeRgb(png), 'frame_corrupt');
  });

  it('reads a JPEG frame size from its header as libvips does, through EXIF, progressive scans and fill bytes', async () => {
    const base = sharp({ create: { width: 123, height: 77, channels: 3, background: { r: 9, g: 90, b: 200 } } });
    const variants = [
      await base.clone().jpeg().toBuffer(),
      await base.clone().jpeg({ progressive: true }).toBuffer(),
      await base.clone().withMetadata({ orientation: 6 }).jpeg().toBuffer(),
    ];
    // Fill bytes (0xFF) may precede any marker.
    const plain = variants[0];
    variants.push(Buffer.concat([plain.subarray(0, 2), Buffer.from([0xff, 0xff]), plain.subarray(2)]));
    for (const jpeg of variants) {
      const meta = await sharp(jpeg).metadata();
      expect(jpegHeader(jpeg)).toEqual({ width: meta.width, height: meta.height });
      expect((await decodeRgb(jpeg)).width).toBe(123);
    }
  });

  it('refuses a JPEG whose header segments are cut, missing or lying before decoding it', async () => {
    const jpeg = await encodeRgbJpeg(createRgbImage(96, 80, 120));
    await expectCode(decodeRgb(jpeg.subarray(0, 30)), 'frame_corrupt');
    await expectCode(decodeRgb(Buffer.from([0xff, 0xd8, 0xff, 0xda, 0x00, 0x08, 0, 0, 0, 0, 0, 0])), 'frame_corrupt');
    await expectCode(decodeRgb(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x01, 0, 0])), 'frame_corrupt');
    // A frame header claiming 60000 x 60000 pixels is refused by size, not decoded.
    const sof = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
    const lying = Buffer.from(jpeg);
    lying.writeUInt16BE(60_000, sof + 5);
    lying.writeUInt16BE(60_000, sof + 7);
    await expectCode(decodeRgb(lying), 'frame_bad_dimensions');
  });

  it('refuses frames that are too small or too large in pixels', async () => {
    await expectCode(decodeRgb(await rgbPng(32, 32)), 'frame_bad_dimensions');
    await expectCode(decodeRgb(await rgbPng(300, 100), { maxWidth: 256 }), 'frame_bad_dimensions');
  });
});

describe('decodeDepth', () => {
  const depth = { width: 80, height: 64, data: new Uint16Array(80 * 64).map((_, i) => 400 + (i % 700)) };

  it('round-trips millimetres through a 16-bit greyscale PNG', () => {
    const decoded = decodeDepth(encodeDepthPng(depth), { width: 80, height: 64 });
    expect(decoded.data).toEqual(depth.data);
  });

  it('refuses a depth frame whose size differs from the colour frame', async () => {
    await expectCode(() => decodeDepth(encodeDepthPng(depth), { width: 640, height: 480 }), 'depth_mismatch');
  });

  it('refuses an 8-bit or colour PNG as depth', async () => {
    await expectCode(() => decodeDepth(new Uint8Array(0), { width: 80, height: 64 }), "frame_empty");
    const eightBit = PNG.sync.write(Object.assign(new PNG({ width: 80, height: 64 }), { data: Buffer.alloc(80 * 64 * 4, 128) }));
    await expectCode(() => decodeDepth(eightBit, { width: 80, height: 64 }), 'depth_not_16bit_grey');
  });

  it('refuses JPEG depth and a corrupt depth PNG', async () => {
    const jpeg = await encodeRgbJpeg(createRgbImage(80, 64));
    await expectCode(() => decodeDepth(jpeg, { width: 80, height: 64 }), 'frame_unsupported_format');
    const png = Buffer.from(encodeDepthPng(depth));
    png.fill(0x11, 41);
    await expectCode(() => decodeDepth(png, { width: 80, height: 64 }), 'frame_corrupt');
  });

  it('decodes every PNG row filter (and an interlaced file) to the values pngjs writes', () => {
    // A surface with noise, so each filter type actually changes the bytes.
    const surface = { width: 80, height: 64, data: new Uint16Array(80 * 64).map((_, i) => 600 + ((i * 7919) % 1500) + (i % 80) * 3) };
    for (const filterType of [0, 1, 2, 3, 4]) {
      const options = { bitDepth: 16, colorType: 0, inputColorType: 0, inputHasAlpha: false, filterType } as const;
      const png = PNG.sync.write(Object.assign(new PNG({ width: 80, height: 64, ...options }), { data: Buffer.from(surface.data.buffer) }), options);
      expect({ filterType, equal: Buffer.compare(Buffer.from(decodeDepth(png, surface).data.buffer), Buffer.from(surface.data.buffer)) }).toEqual({ filterType, equal: 0 });
    }
    const interlaced = Buffer.from(encodeDepthPng(surface));
    interlaced[28] = 1;
    // The flag alone does not make Adam7 data: pngjs reads it as interlaced and finds the wrong amount, so corrupt.
    expect(() => decodeDepth(interlaced, surface)).toThrow(FrameDecodeError);
  });

  it('refuses a depth PNG whose pixel data is cut short or has an undefined row filter', async () => {
    const png = Buffer.from(encodeDepthPng(depth));
    await expectCode(() => decodeDepth(png.subarray(0, png.length - 40), { width: 80, height: 64 }), 'frame_corrupt');
    const wrongSize = Buffer.from(encodeDepthPng({ width: 80, height: 63, data: depth.data.subarray(0, 80 * 63) }));
    wrongSize.writeUInt32BE(64, 20);
    await expectCode(() => decodeDepth(wrongSize, { width: 80, height: 64 }), 'frame_corrupt');
  });

  it('checks a depth header without decoding: a 33-byte prefix is enough', async () => {
    const header = encodeDepthPng(depth).subarray(0, 33);
    expect(checkDepthHeader(header, { width: 80, height: 64 })).toEqual({ width: 80, height: 64, interlaced: false });
    await expectCode(() => checkDepthHeader(header, { width: 640, height: 480 }), 'depth_mismatch');
  });

  it('refuses a depth frame over the byte limit', async () => {
    await expectCode(() => decodeDepth(encodeDepthPng(depth), { width: 80, height: 64 }, { maxBytes: 100 }), 'frame_too_large');
  });
});
