import { createServer, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { canonicalRequest, internalAuthHeaders } from '@smilepay/checkout/contracts';
import { hmacHex, sha256Hex } from '@smilepay/shared/request-signing';

export interface RecordedPost {
  path: string;
  headers: IncomingMessage['headers'];
  rawBody: Buffer;
  body: unknown;
  /** Whether the internal HMAC signature checked out against the shared token. */
  signatureValid: boolean;
}

export type Reply = { status: number; body?: unknown; delayMs?: number };

/**
 * A real HTTP listener standing in for the api's wire: it records every POST the gateway makes and answers with
 * scripted replies. It is a recorder of the wire protocol, not a replacement for any of our own code.
 */
export class ApiRecorder {
  readonly posts: RecordedPost[] = [];
  private server: Server | null = null;
  /** Replies consumed in order per path suffix (`liveness` / `face-probe` / `pin`); the default applies when empty. */
  readonly scripted = new Map<string, Reply[]>();

  constructor(private readonly token: string) {}

  defaultReply(path: string): Reply {
    if (path.endsWith('/liveness')) return { status: 200, body: { accepted: true } };
    if (path.endsWith('/face-probe') || path.endsWith('/pin') || path.includes('/pin-checkouts/')) {
      return { status: 200, body: { decision: 'authorized', paymentId: `pay-${this.posts.length}` } };
    }
    return { status: 404, body: { code: 'not_found' } };
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      // The gateway's readiness probe: answered like the api's liveness route, and not recorded as a call.
      if (req.method === 'GET' && req.url === '/health/live') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"status":"ok"}');
        return;
      }
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const rawBody = Buffer.concat(chunks);
        const path = req.url ?? '';
        this.posts.push({ path, headers: req.headers, rawBody, body: safeJson(rawBody), signatureValid: this.checkSignature(req, path, rawBody) });
        const suffix = path.split('/').pop() ?? '';
        const reply = this.scripted.get(suffix)?.shift() ?? this.defaultReply(path);
        setTimeout(() => {
          res.writeHead(reply.status, { 'content-type': 'application/json' });
          res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
        }, reply.delayMs ?? 0);
      });
    });
    await new Promise<void>((resolve) => (this.server as Server).listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  postsFor(checkoutId: string): RecordedPost[] {
    return this.posts.filter((p) => p.path.includes(checkoutId));
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private checkSignature(req: IncomingMessage, path: string, body: Buffer): boolean {
    const h = (name: string) => String(req.headers[name] ?? '');
    const canonical = canonicalRequest('POST', path, h(internalAuthHeaders.timestamp), h(internalAuthHeaders.nonce), sha256Hex(body));
    return h(internalAuthHeaders.signature) === hmacHex(Buffer.from(this.token), canonical);
  }
}

function safeJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return null;
  }
}
