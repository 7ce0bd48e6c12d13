import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pinoHttp from 'pino-http';
import type { Options } from 'pino-http';
import { loggerParams, parseLogLevel } from './logger-params';

/** The real pino-http logger with our parameters, writing JSON lines into memory. */
function capture(level: 'info' | 'silent') {
  const lines: string[] = [];
  const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(...chunk.toString().split('\n').filter(Boolean)), done()) });
  const middleware = pinoHttp(loggerParams({ service: 'test', level }).pinoHttp as Options, sink);
  return { lines, middleware };
}

describe('loggerParams', () => {
  it('writes JSON lines with the service, masking messages and fields', () => {
    const { lines, middleware } = capture('info');
    middleware.logger.info({ customer: { phone: '+8613800138000', pin: '1234' } }, 'enrolled +8613800138000');
    middleware.logger.error(new Error('lookup failed for 13800138000'));
    const written = lines.join('\n');
    expect(written).not.toContain('13800138000');
    expect(written).not.toContain('1234');
    const first = JSON.parse(lines[0]);
    expect(first).toMatchObject({ service: 'test', msg: 'enrolled ***00', customer: { phone: '***00', pin: '[redacted]' } });
  });

  it('logs requests without their credentials or a phone in the url, and skips health and metrics', async () => {
    const { lines, middleware } = capture('info');
    const server = createServer((req, res) => {
      middleware(req, res);
      res.end('ok');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      await fetch(`${base}/v1/customers?phone=%2B8613800138000&q=13800138000`, { headers: { authorization: 'Bearer secret-token', 'x-internal-signature': 'deadbeef' } });
      await fetch(`${base}/health/live`);
      await fetch(`${base}/metrics`);
    } finally {
      await new Promise((r) => server.close(r));
    }
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toMatch(/13800138000|secret-token|deadbeef/);
    expect(JSON.parse(lines[0])).toMatchObject({ req: { method: 'GET' }, res: { statusCode: 200 } });
  });

  it('writes nothing at level silent', () => {
    const { lines, middleware } = capture('silent');
    middleware.logger.error('boom');
    expect(lines).toEqual([]);
  });

  it('refuses an unknown LOG_LEVEL naming the variable', () => {
    expect(parseLogLevel('loud')).toEqual({ problem: expect.stringMatching(/^LOG_LEVEL must be one of/) });
    expect(parseLogLevel('WARN')).toEqual({ level: 'warn' });
    expect(parseLogLevel(undefined)).toEqual({ level: 'info' });
  });
});
