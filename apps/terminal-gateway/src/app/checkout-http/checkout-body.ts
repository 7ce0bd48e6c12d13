import { CheckoutErrorCode, validateFrameMeta } from '@smilepay/checkout/contracts';
import type { IncomingFrame } from '../checkout/checkout-session';
import { boundaryOf, MultipartError, parseMultipart } from './multipart';

export interface ParsedCheckoutBody {
  session: unknown;
  frames: IncomingFrame[];
}

export class BodyError extends Error {
  constructor(
    readonly status: 400 | 415,
    readonly code: CheckoutErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'BodyError';
  }
}

const invalid = (message: string) => new BodyError(400, CheckoutErrorCode.InvalidRequest, message);

/** Turns a POST /v1/checkout-sessions body (JSON with base64 frames, or multipart) into a session start and frames. */
export function parseCheckoutBody(contentType: string | undefined, body: Buffer, maxFrames: number): ParsedCheckoutBody {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'application/json') return parseJsonBody(body, maxFrames);
  if (type === 'multipart/form-data') return parseMultipartBody(contentType, body, maxFrames);
  throw new BodyError(415, CheckoutErrorCode.UnsupportedMediaType, 'send application/json or multipart/form-data');
}

export function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw invalid('body is not valid JSON');
  }
}

function parseJsonBody(body: Buffer, maxFrames: number): ParsedCheckoutBody {
  const parsed = parseJson(body) as { session?: unknown; frames?: unknown };
  if (!parsed || typeof parsed !== 'object' || !Array.isArray(parsed.frames)) throw invalid('body must be { session, frames: [] }');
  // One frame over the limit is kept so the session itself answers it with too_many_frames.
  if (parsed.frames.length > maxFrames + 1) throw invalid(`at most ${maxFrames} frames per request`);
  const frames = parsed.frames.map((raw: unknown, index: number): IncomingFrame => {
    const meta = validateFrameMeta(raw);
    const f = raw as { rgbBase64?: unknown; depthBase64?: unknown };
    if (!meta.ok) throw invalid(`frames[${index}]: ${meta.problems.join('; ')}`);
    if (typeof f.rgbBase64 !== 'string') throw invalid(`frames[${index}].rgbBase64 must be a base64 string`);
    if (f.depthBase64 !== undefined && typeof f.depthBase64 !== 'string') throw invalid(`frames[${index}].depthBase64 must be a base64 string`);
    return {
      ...meta.value,
      rgb: Buffer.from(f.rgbBase64, 'base64'),
      ...(typeof f.depthBase64 === 'string' ? { depth: Buffer.from(f.depthBase64, 'base64') } : {}),
    };
  });
  return { session: parsed.session, frames };
}

function parseMultipartBody(contentType: string | undefined, body: Buffer, maxFrames: number): ParsedCheckoutBody {
  const boundary = boundaryOf(contentType);
  if (!boundary) throw invalid('multipart body without a boundary');
  let parts;
  try {
    parts = parseMultipart(body, boundary, 2 * (maxFrames + 1) + 2);
  } catch (error) {
    throw invalid(`multipart: ${(error as MultipartError).message}`);
  }
  const field = (name: string) => parts.find((p) => p.name === name && p.filename === null)?.data;
  const sessionBytes = field('session');
  if (!sessionBytes) throw invalid('multipart body needs a `session` field');
  const times = field('capturedAtMs');
  const capturedAt = times ? parseJson(times) : [];
  if (!Array.isArray(capturedAt)) throw invalid('`capturedAtMs` must be a JSON array indexed by seq');
  const bySeq = new Map<number, Partial<IncomingFrame>>();
  for (const part of parts) {
    const match = /^frame\.(\d{1,6})\.(rgb|depth)$/.exec(part.name);
    if (!match) continue;
    const seq = Number(match[1]);
    const frame = bySeq.get(seq) ?? { seq, capturedAtMs: typeof capturedAt[seq] === 'number' ? capturedAt[seq] : seq };
    frame[match[2] as 'rgb' | 'depth'] = part.data;
    bySeq.set(seq, frame);
  }
  const frames = [...bySeq.values()].sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
  for (const frame of frames) if (!frame.rgb) throw invalid(`frame.${frame.seq}.depth has no frame.${frame.seq}.rgb`);
  return { session: parseJson(sessionBytes), frames: frames as IncomingFrame[] };
}
