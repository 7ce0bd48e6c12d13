import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

export const workspaceRoot = resolve(__dirname, '../../..');
const API_MAIN = 'dist/apps/api/main.js';

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * One built api process (dist/apps/api/main.js) on a fixed port, so it can be killed with SIGKILL and started again
 * at the same address. Its output is kept (bounded) so drills can read what it logged.
 */
export class ApiProcess {
  private child: ChildProcess | undefined;
  private log = '';
  readonly url: string;
  starts = 0;

  constructor(
    readonly name: string,
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {
    this.url = `http://127.0.0.1:${port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  output(): string {
    return this.log;
  }

  /** Starts the process and waits (at most 90 s) until /health/live answers. */
  async start(): Promise<void> {
    const child = this.spawn();
    const deadline = Date.now() + 90_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${this.name} exited with ${child.exitCode}:\n${this.log.slice(-5_000)}`);
      if (Date.now() > deadline) throw new Error(`${this.name} did not become healthy:\n${this.log.slice(-5_000)}`);
      if (await fetch(`${this.url}/health/live`).then((r) => r.ok, () => false)) return;
      await sleep(100);
    }
  }

  /** Starts the process without waiting for it: projections start catching up before the api listens. */
  spawn(): ChildProcess {
    const main = join(workspaceRoot, API_MAIN);
    if (!existsSync(main)) throw new Error(`${main} is missing: run \`npx nx build api\` (the drill target builds it first)`);
    const child = spawn(process.execPath, [main], {
      cwd: workspaceRoot,
      env: { ...process.env, ...this.env, HOST: '127.0.0.1', PORT: String(this.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.starts++;
    // Output is per run: what a killed run logged says nothing about the next one.
    this.log = '';
    const keep = (chunk: Buffer) => (this.log = (this.log + chunk.toString()).slice(-500_000));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    return child;
  }

  /** kill -9: no shutdown hook runs, open transactions are cut wherever they are. */
  async kill9(): Promise<void> {
    const child = this.child;
    if (child === undefined || !this.running) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGKILL');
    await exited;
  }

  /** A graceful stop (SIGTERM), escalated to SIGKILL after 10 s. */
  async stop(): Promise<void> {
    const child = this.child;
    if (child === undefined || !this.running) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}
