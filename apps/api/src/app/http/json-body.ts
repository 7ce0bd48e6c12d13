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
    parse(req, res, (error?: unknown) => next(error === undefined ? undefined : toHttpException(error, limitBytes)));
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
