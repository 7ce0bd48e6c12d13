import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { RecordLivenessVerdict, SubmitFaceProbe } from '@smilepay/checkout/contracts';
import { ApiRecorder } from '../testing/api-recorder';
import { builtSimulatorMain, requireBuilt, spawnBuiltGateway, workspaceRoot } from '../testing/built-artifacts';
import { internalToken, testTerminals } from '../testing/gateway-harness';

interface SimRow {
  species: string;
  presentations: number;
  accepted: number;
  apcer: number | null;
  bpcer: number | null;
}

// End to end with the production artefacts: the built gateway (child process, two analysis threads, real models)
// and the built terminal simulator (another process, three signed terminals). The api is a recorder of the wire.
// Genuine customers are real photos with SYNTHETIC depth and smile; every attack species is SYNTHETIC.
describe('terminal simulator against the built gateway', () => {
  const recorder = new ApiRecorder(internalToken);
  const terminals = testTerminals(3);
  let gateway: Awaited<ReturnType<typeof spawnBuiltGateway>>;

  beforeAll(async () => {
    const apiUrl = await recorder.start();
    gateway = await spawnBuiltGateway({
      TERMINAL_KEYS: JSON.stringify(terminals),
      API_URL: apiUrl,
      INTERNAL_API_TOKEN: internalToken,
      ANALYSIS_WORKERS: '2',
      // The simulator shares the two cores with the gateway: a rigid-mask presentation spans 14 frames and must
      // reach the end of the smile window before it can fail, so the session window is doubled.
      SESSION_DURATION_MS: '20000',
    });
  });
  afterAll(async () => {
    await gateway?.stop();
    await recorder.stop();
  });

  it('lets every genuine presentation pay and rejects every attack species', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'terminal-sim-')), 'summary.json');
    const args = [requireBuilt(builtSimulatorMain, 'terminal-sim'), 'run', '--gateway', gateway.url, '--terminals', '3', '--customers', '3', '--seed', '5'];
    const { stdout } = await promisify(execFile)(process.execPath, [...args, '--json', out, '--no-progress'], {
      cwd: workspaceRoot,
      env: { ...process.env, TERMINAL_KEYS: JSON.stringify(terminals) },
      timeout: 240_000,
      maxBuffer: 4 * 1024 * 1024,
    });
    console.log(stdout);
    const { rows } = JSON.parse(readFileSync(out, 'utf8')) as { rows: SimRow[] };

    expect(rows.map((r) => r.species).sort()).toEqual(['bent_print', 'genuine', 'print', 'print_no_depth', 'rigid_mask', 'screen_replay']);
    for (const row of rows) expect(row.presentations).toBe(3);
    expect(rows.find((r) => r.species === 'genuine')).toMatchObject({ accepted: 3, bpcer: 0 });
    for (const attack of rows.filter((r) => r.species !== 'genuine')) {
      expect({ species: attack.species, accepted: attack.accepted, apcer: attack.apcer }).toEqual({ species: attack.species, accepted: 0, apcer: 0 });
    }

    // What reached the api: a signed verdict per session, a probe for each live one, and never frame bytes.
    const verdicts = recorder.posts.filter((p) => p.path.endsWith('/liveness'));
    const probes = recorder.posts.filter((p) => p.path.endsWith('/face-probe'));
    expect(verdicts).toHaveLength(18);
    expect(probes).toHaveLength(3);
    expect(recorder.posts.every((p) => p.signatureValid && p.rawBody.length < 20_000)).toBe(true);
    const species = verdicts.map((p) => (p.body as RecordLivenessVerdict).attackSpecies).filter((s) => s !== null);
    expect(species.sort()).toEqual(['bent_print', 'print', 'rigid_mask', 'screen_replay'].flatMap((s) => [s, s, s]));
    for (const probe of probes) expect((probe.body as SubmitFaceProbe).embedding).toMatchObject({ encoding: 'float32le-base64', dimensions: 512 });
    expect(gateway.output()).toMatch(/2 analysis threads ready/);
    // The simulator process builds its presentations (JPEG, synthetic depth) before it runs them: on two shared cores
    // that alone can pass jest's 60 s default, so the test gets the same budget as the process it waits for.
  }, 250_000);
});
