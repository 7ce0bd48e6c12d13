import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';

/** The repository root (the nearest folder up with nx.json): `dist/...` paths are resolved against it. */
export const workspaceRoot = findRoot(__dirname);

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    if (dirname(dir) === dir) return process.cwd();
  }
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** Most output kept per process: enough for a whole e2e run at debug level, bounded all the same. */
const MAX_OUTPUT_CHARS = 16 * 1024 * 1024;

export interface RunningProcess {
  url: string;
  pid: number | undefined;
  /** Everything the process wrote to stdout and stderr (its last MAX_OUTPUT_CHARS). */
  output(): string;
  /** Whether older output was dropped to stay within MAX_OUTPUT_CHARS. */
  outputTruncated(): boolean;
  stop(): Promise<void>;
}

/**
 * Starts a built app (`dist/...main.js`) as a real child process (with `nodeArgs`, e.g. `--cpu-prof`) and waits for
 * its /health/live (at most 90 s).
 */
export async function startBuilt(relativeMain: string, project: string, env: Record<string, string>, nodeArgs: string[] = []): Promise<RunningProcess> {
  const main = join(workspaceRoot, relativeMain);
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npx nx build ${project}\` (the test target builds it first)`);
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, main], { cwd: workspaceRoot, env: { ...process.env, ...env, HOST: '127.0.0.1', PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let truncated = false;
  const keep = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.length <= MAX_OUTPUT_CHARS) return;
    output = output.slice(-MAX_OUTPUT_CHARS);
    truncated = true;
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${project} exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) throw new Error(`${project} did not become healthy:\n${output}`);
    const healthy = await fetch(`${url}/health/live`).then((r) => r.ok, () => false);
    if (healthy) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    pid: child.pid,
    output: () => output,
    outputTruncated: () => truncated,
    stop: () =>
      new Promise<void>((resolveStop) => {
        if (child.exitCode !== null) return resolveStop();
        child.once('exit', () => resolveStop());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
      }),
  };
}
