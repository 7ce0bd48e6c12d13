import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for the api's internal endpoints when the simulator runs the gateway itself (benchmark, demo): it
 * accepts every liveness verdict and authorizes every probe, so what is measured is the gateway alone.
 */
export async function startApiStub(): Promise<{ url: string; posts: () => number; close: () => Promise<void> }> {
  let count = 0;
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      count++;
      const body = req.url?.endsWith('/face-probe') ? { decision: 'authorized', paymentId: `stub-${count}` } : { accepted: true };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    posts: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
