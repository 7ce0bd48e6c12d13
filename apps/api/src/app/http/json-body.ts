import { HttpException, HttpStatus } from '@nestjs/common';
import { sha256Hex } from '@smilepay/shared/request-signing';
import { json } from 'express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * A size-limited JSON body parser whose failures carry our error codes. Without this wrapper Nest turns every
 * body-parser failure into a generic 400, and a client cannot tell a malformed body from an oversize one.
 */
export function jsonBody(limitBytes: number): RequestHandler {
  // The body's digest is kept for signed internal calls, whose signature covers the exact bytes sent.
  const parse = json({ limit: limitBytes, strict: true, verify: (req, _res, buf) => ((req as RequestWithDigest).bodySha256 = sha256Hex(buf)) });
  return (req: Request, res: Response, next: NextFunction) =>
    parse(req, res, (error?: unknown) => {
      if (error !== undefined) return next(toHttpException(error, limitBytes));
      // JSON.parse copes with any depth, but the validation pipe walks bodies recursively and overflows the stack.
      if (nestingDepth(req.body, MAX_BODY_DEPTH) > MAX_BODY_DEPTH) {
        return next(new HttpException({ code: 'body_too_deep', message: `request body nests deeper than ${MAX_BODY_DEPTH} levels`, details: { maxDepth: MAX_BODY_DEPTH } }, HttpStatus.BAD_REQUEST));
      }
      next();
    });
}

/** No api body nests more than a few levels; the limit leaves room and stops hostile bodies long before the stack. */
export const MAX_BODY_DEPTH = 32;

/** Depth of arrays and objects in a parsed body, without recursion; stops counting once past `stopAfter`. */
export function nestingDepth(value: unknown, stopAfter: number): number {
  let deepest = 0;
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length > 0) {
    const [current, depth] = pending.pop() as [unknown, number];
    if (typeof current !== 'object' || current === null) continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > stopAfter) return deepest;
    for (const child of Object.values(current)) pending.push([child, depth + 1]);
  }
  return deepest;
}

export type RequestWithDigest = Request & { bodySha256?: string };

function toHttpException(error: unknown, limitBytes: number): HttpException {
  const type = typeof error === 'object' && error !== null && 'type' in error ? String(error.type) : 'unknown';
  switch (type) {
    case 'entity.too.large':
      return new HttpException({ code: 'body_too_large', message: `request body exceeds ${limitBytes} bytes`, details: { limitBytes } }, HttpStatus.PAYLOAD_TOO_LARGE);
    case 'entity.parse.failed':
      return new HttpException({ code: 'body_malformed', message: 'request body is not valid JSON', details: {} }, HttpStatus.BAD_REQUEST);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new HttpException({ code: 'body_encoding_unsupported', message: 'unsupported body encoding', details: {} }, HttpStatus.UNSUPPORTED_MEDIA_TYPE);
    default:
      return new HttpException({ code: 'body_refused', message: 'request body was refused', details: { type } }, HttpStatus.BAD_REQUEST);
  }
}
