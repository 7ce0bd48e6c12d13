import { spawn } from 'node:child_process';
import { builtGatewayMain, requireBuilt, workspaceRoot } from '../../testing/built-artifacts';

const valid = {
  TERMINAL_KEYS: JSON.stringify([{ keyId: 'k1', terminalId: 't1', merchantId: 'm1', secret: 's'.repeat(32) }]),
  API_URL: 'http://127.0.0.1:9',
  INTERNAL_API_TOKEN: 'i'.repeat(40),
  ANALYSIS_WORKERS: '0',
  PORT: '0',
};

/** Runs the built gateway's main.js and returns how it exited and what it printed. */
function boot(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [requireBuilt(builtGatewayMain, 'terminal-gateway')], { cwd: workspaceRoot, env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  return new Promise((resolve) => child.on('exit', (code) => (clearTimeout(killer), resolve({ code, output }))));
}

// The real start-up path: main.js validates the environment before anything listens or loads a model.
describe('terminal-gateway start-up with a bad configuration', () => {
  it.each([
    ['LOG_LEVEL', 'loud'],
    ['METRICS_TOKEN', 'short'],
    ['MAX_FPS', '0'],
  ])('exits non-zero naming %s', async (name, bad) => {
    const { code, output } = await boot({ ...valid, [name]: bad });
    expect(code).toBe(1);
    expect(output).toContain(name);
    expect(output).not.toContain('s'.repeat(32));
  });
});
