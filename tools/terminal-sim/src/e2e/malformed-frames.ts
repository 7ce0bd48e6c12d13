import fc from 'fast-check';

export type MalformedKind = 'random_bytes' | 'truncated_jpeg' | 'lying_magic' | 'lying_png_dimensions' | 'lying_jpeg_dimensions' | 'corrupted_jpeg' | 'mismatched_depth';

export interface MalformedFrame {
  kind: MalformedKind;
  rgb: Buffer;
  depth?: Buffer;
}

const JPEG_SOI = Buffer.from([0xff, 0xd8, 0xff, 0xe0]);
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Frames a broken or hostile terminal might send, built around one genuine JPEG and its 16-bit depth PNG:
 * random bytes, truncations, a real magic number before garbage, headers that claim huge images (decompression
 * bombs), bytes flipped inside a real JPEG, and depth frames that do not match their RGB frame. Weighted so the
 * expensive kinds (those that decode and reach the face models) stay a minority.
 */
export function malformedFrame(good: { rgb: Buffer; depth: Buffer }): fc.Arbitrary<MalformedFrame> {
  const bytes = (max: number) => fc.uint8Array({ minLength: 0, maxLength: max }).map((b) => Buffer.from(b));
  return fc.oneof(
    { weight: 6, arbitrary: bytes(4096).map((rgb) => ({ kind: 'random_bytes' as const, rgb })) },
    { weight: 4, arbitrary: fc.integer({ min: 0, max: good.rgb.length - 2 }).map((n) => ({ kind: 'truncated_jpeg' as const, rgb: Buffer.from(good.rgb.subarray(0, n)) })) },
    { weight: 4, arbitrary: fc.tuple(fc.constantFrom(JPEG_SOI, PNG_SIGNATURE), bytes(2048)).map(([magic, rest]) => ({ kind: 'lying_magic' as const, rgb: Buffer.concat([magic, rest]) })) },
    { weight: 2, arbitrary: fc.tuple(dimension(), dimension(), bytes(512)).map(([w, h, rest]) => ({ kind: 'lying_png_dimensions' as const, rgb: pngClaiming(w, h, rest) })) },
    { weight: 2, arbitrary: fc.tuple(dimension(), dimension()).map(([w, h]) => ({ kind: 'lying_jpeg_dimensions' as const, rgb: jpegClaiming(good.rgb, w, h) })) },
    {
      weight: 1,
      arbitrary: fc.array(fc.tuple(fc.integer({ min: 2, max: good.rgb.length - 3 }), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 16 }).map((flips) => {
        const rgb = Buffer.from(good.rgb);
        for (const [at, mask] of flips) rgb[at] ^= mask;
        return { kind: 'corrupted_jpeg' as const, rgb };
      }),
    },
    {
      weight: 2,
      arbitrary: fc.oneof(bytes(2048), fc.tuple(dimension(), dimension()).map(([w, h]) => pngClaiming(w, h, Buffer.alloc(0))), fc.constant(Buffer.from(good.rgb))).map((depth) => ({ kind: 'mismatched_depth' as const, rgb: Buffer.from(good.rgb), depth })),
    },
  );
}

function dimension(): fc.Arbitrary<number> {
  return fc.oneof(fc.integer({ min: 0, max: 16 }), fc.integer({ min: 1921, max: 65_535 }), fc.constant(0xffff));
}

/** A PNG whose IHDR (with a valid CRC, so decoders believe it) claims width × height, followed by garbage. */
function pngClaiming(width: number, height: number, rest: Buffer): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', rest), chunk('IEND', Buffer.alloc(0))]);
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** The genuine JPEG with the dimensions in its first start-of-frame marker rewritten. */
function jpegClaiming(jpeg: Buffer, width: number, height: number): Buffer {
  const out = Buffer.from(jpeg);
  for (let i = 2; i < out.length - 9; i++) {
    if (out[i] === 0xff && out[i + 1] >= 0xc0 && out[i + 1] <= 0xc2) {
      out.writeUInt16BE(height & 0xffff, i + 5);
      out.writeUInt16BE(width & 0xffff, i + 7);
      return out;
    }
  }
  return out;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
