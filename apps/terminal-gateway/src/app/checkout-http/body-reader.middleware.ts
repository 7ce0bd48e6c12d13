import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CheckoutErrorCode } from '@smilepay/checkout/contracts';
import { GATEWAY_CONFIG } from '../config/config.module';
import type { GatewayConfig } from '../config/gateway-config';

export interface RequestWithBody extends IncomingMessage {
  rawBody?: Buffer;
  originalUrl?: string;
}

/**
 * Reads the whole body into memory, up to maxHttpBodyBytes, before anything else looks at it: the signature covers
 * the exact bytes, so they must be available verbatim. The body never touches the disk. An oversized body gets 413
 * `body_too_large` at once, and the connection is closed so the rest of it is never read.
 */
@Injectable()
export class BodyReaderMiddleware implements NestMiddleware {
  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {}

  use(req: RequestWithBody, res: ServerResponse, next: (error?: unknown) => void): void {
    const max = this.config.maxHttpBodyBytes;
    const declared = Number(req.headers['content-length'] ?? '0');
    if (declared > max) return tooLarge(req, res, max);
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > max) {
        failed = true;
        chunks.length = 0;
        return tooLarge(req, res, max);
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (failed) return;
      req.rawBody = Buffer.concat(chunks, size);
      next();
    });
    req.on('error', (error) => {
      if (!failed) next(error);
      failed = true;
    });
  }
}

function tooLarge(req: IncomingMessage, res: ServerResponse, max: number): void {
  const body = JSON.stringify({ code: CheckoutErrorCode.BodyTooLarge, message: `request body exceeds ${max} bytes` });
  res.writeHead(413, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), connection: 'close' });
  res.end(body, () => req.socket.destroy());
}
