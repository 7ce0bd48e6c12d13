import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

export const workspaceRoot = resolve(__dirname, '../../../..');
export const builtGatewayMain = join(workspaceRoot, 'dist/apps/terminal-gateway/main.js');
export const builtAnalysisWorker = join(workspaceRoot, 'dist/apps/terminal-gateway/analysis-worker.js');
export const builtSimulatorMain = join(workspaceRoot, 'dist/tools/terminal-sim/main.js');

/** Tests of the built bundles need them: the test target depends on both builds, so `nx test` provides them. */
export function requireBuilt(file: string, project: string): string {
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npx nx build ${project}\` (\`nx test terminal-gateway\` does it first)`);
  return file;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** The built gateway as a child process, with its analysis threads; resolves once it answers HTTP. */
export async function spawnBuiltGateway(env: Record<string, string>): Promise<{ url: string; output: () => string; stop: () => Promise<void> }> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [requireBuilt(builtGatewayMain, 'terminal-gateway')], {
    cwd: workspaceRoot,
    env: { ...process.env, ...env, HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-200_000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`gateway exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) throw new Error(`gateway did not listen within 60 s:\n${output}`);
    if (await fetch(`${url}/internal/v1/stats`).then(() => true, () => false)) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    output: () => output,
    stop: () =>
      new Promise<void>((r) => {
        if (child.exitCode !== null) return r();
        child.once('exit', () => r());
        child.kill('SIGTERM');
      }),
  };
}
