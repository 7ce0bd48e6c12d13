/**
 * A minimal multipart/form-data reader over a body already in memory (and already size-limited): the gateway needs
 * named fields and files, nothing else, and the frames must stay in memory (a disk-backed parser is not an option).
 */
export interface MultipartPart {
  name: string;
  filename: string | null;
  contentType: string | null;
  data: Buffer;
}

export class MultipartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MultipartError';
  }
}

export function boundaryOf(contentType: string | undefined): string | null {
  const match = /^multipart\/form-data\s*;(?:.*;)?\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType ?? '');
  return match ? (match[1] ?? match[2]) : null;
}

const headerSeparator = Buffer.from('\r\n\r\n');

export function parseMultipart(body: Buffer, boundary: string, maxParts: number): MultipartPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  let position = body.indexOf(delimiter);
  if (position < 0) throw new MultipartError('no multipart boundary found');
  const parts: MultipartPart[] = [];
  for (;;) {
    const afterDelimiter = position + delimiter.length;
    if (body.subarray(afterDelimiter, afterDelimiter + 2).toString() === '--') return parts;
    if (body.subarray(afterDelimiter, afterDelimiter + 2).toString() !== '\r\n') throw new MultipartError('malformed boundary line');
    const next = body.indexOf(Buffer.from(`\r\n--${boundary}`), afterDelimiter);
    if (next < 0) throw new MultipartError('multipart body is truncated');
    if (parts.length >= maxParts) throw new MultipartError(`more than ${maxParts} parts`);
    parts.push(parsePart(body.subarray(afterDelimiter + 2, next)));
    position = next + 2;
  }
}

function parsePart(raw: Buffer): MultipartPart {
  const split = raw.indexOf(headerSeparator);
  if (split < 0) throw new MultipartError('part has no header block');
  const headers = raw.subarray(0, split).toString('latin1').split('\r\n');
  let name: string | null = null;
  let filename: string | null = null;
  let contentType: string | null = null;
  for (const line of headers) {
    const [key, ...rest] = line.split(':');
    const value = rest.join(':').trim();
    if (key.trim().toLowerCase() === 'content-disposition') {
      name = /;\s*name="([^"]*)"/i.exec(value)?.[1] ?? null;
      filename = /;\s*filename="([^"]*)"/i.exec(value)?.[1] ?? null;
    } else if (key.trim().toLowerCase() === 'content-type') {
      contentType = value;
    }
  }
  if (!name) throw new MultipartError('part has no name');
  return { name, filename, contentType, data: raw.subarray(split + headerSeparator.length) };
}
