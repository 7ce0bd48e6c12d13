import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { internalAuthHeaders } from '@smilepay/checkout/contracts';
import { headers, sign, TerminalKey } from './signing';

export interface GatewayProcess {
  url: string;
  internalToken: string;
  stats(): Promise<GatewayStats>;
  resetStats(): Promise<void>;
  /** CPU time the gateway process has used so far, every thread included (Linux /proc); null elsewhere. */
  cpuMs(): number | null;
  stop(): Promise<void>;
}

export interface GatewayStats {
  stages: Array<{ stage: string; count: number; p50Ms: number; p95Ms: number; maxMs: number }>;
  counters: Record<string, number>;
  activeSessions: number;
  memoryRssBytes: number;
}

const internalKeyId = 'terminal-sim';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Starts the built gateway as a child process and waits until it listens (at most 60 s). */
export async function spawnGateway(mainJs: string, keys: TerminalKey[], apiUrl: string, env: Record<string, string>, nodeArgs: readonly string[] = []): Promise<GatewayProcess> {
  const port = await freePort();
  const internalToken = randomBytes(32).toString('base64url');
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, mainJs], {
    env: { ...process.env, ...env, HOST: '127.0.0.1', PORT: String(port), TERMINAL_KEYS: JSON.stringify(keys), API_URL: apiUrl, INTERNAL_API_KEY_ID: internalKeyId, INTERNAL_API_TOKEN: internalToken },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logTail: string[] = [];
  const remember = (chunk: Buffer) => {
    logTail.push(chunk.toString());
    if (logTail.length > 50) logTail.shift();
  };
  child.stdout?.on('data', remember);
  child.stderr?.on('data', remember);
  const url = `http://127.0.0.1:${port}`;
  await waitUntilListening(child, url, logTail);
  const signedFetch = async (method: string, path: string) => {
    const s = sign(internalKeyId, internalToken, method, path, '');
    const response = await fetch(`${url}${path}`, { method, headers: headers(internalAuthHeaders, s) });
    if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status}`);
    return response.json();
  };
  return {
    url,
    internalToken,
    stats: () => signedFetch('GET', '/internal/v1/stats') as Promise<GatewayStats>,
    resetStats: async () => {
      await signedFetch('POST', '/internal/v1/stats/reset');
    },
    cpuMs: () => (child.pid === undefined ? null : processCpuMs(child.pid)),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/**
 * utime + stime of a process from /proc/<pid>/stat, in milliseconds: all its threads (the analysis workers, libvips
 * and onnxruntime threads). Fields 14 and 15, counted after the parenthesised command name, in clock ticks (100/s
 * on Linux).
 */
export function processCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_S;
  } catch {
    return null;
  }
}

const CLOCK_TICKS_PER_S = 100;

async function waitUntilListening(child: ChildProcess, url: string, logTail: string[]): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`gateway exited with ${child.exitCode}:\n${logTail.join('')}`);
    try {
      await fetch(`${url}/internal/v1/stats`);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  child.kill('SIGKILL');
  throw new Error(`gateway did not listen within 60 s:\n${logTail.join('')}`);
}
