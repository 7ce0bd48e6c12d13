import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Largest request body the tap keeps a copy of (a face probe is about 4 KiB of base64). */
const MAX_KEPT_BODY_BYTES = 1024 * 1024;
/** Most bodies kept; the e2e run makes a few dozen calls. */
const MAX_KEPT_BODIES = 1_000;

/**
 * A transparent HTTP pass-through between the gateway and the api that keeps a copy of each request body, so a test
 * knows the exact probe embeddings that crossed the wire (and can then look for them in the logs). Bytes, path and
 * headers are forwarded unchanged, so the gateway's signatures still verify.
 */
export class WireTap {
  readonly bodies: { path: string; body: string }[] = [];
  private server: Server | null = null;

  constructor(private readonly target: string) {}

  async start(): Promise<string> {
    const target = new URL(this.target);
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        if (body.length <= MAX_KEPT_BODY_BYTES && this.bodies.length < MAX_KEPT_BODIES) this.bodies.push({ path: req.url ?? '', body: body.toString() });
        const upstream = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        });
        upstream.on('error', () => {
          if (res.headersSent) return void res.destroy();
          res.writeHead(502);
          res.end();
        });
        upstream.end(body);
      });
    });
    await new Promise<void>((resolve) => (this.server as Server).listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The probe embeddings (base64 float32 LE) the gateway sent to the api. */
  embeddings(): string[] {
    return this.bodies.filter((b) => b.path.endsWith('/face-probe') || b.path.includes('/enrollments/')).map((b) => (JSON.parse(b.body) as { embedding?: { data?: string } }).embedding?.data).filter((d): d is string => typeof d === 'string');
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
