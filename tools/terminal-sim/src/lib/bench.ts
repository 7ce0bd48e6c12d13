import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { startApiStub } from './api-stub';
import { formatProfile, summariseProfiles } from './cpu-profile';
import { GatewayStats, spawnGateway } from './gateway-process';
import { describeMachineReference, measureMachineReference, type MachineReference } from './machine-reference';
import type { Presentation } from '@smilepay/biometrics/infrastructure';
import { percentile, renderTable } from './report';
import { runLoad } from './run-load';
import { generateKeys } from './signing';
import type { SessionRecord } from './terminal';

export interface BenchOptions {
  gatewayMain: string;
  terminals: number;
  durationMs: number;
  intraOpThreads: number;
  analysesInFlight: number;
  analysisWorkers: number;
  docPath: string | null;
  command: string;
  /** Runs the gateway under node --cpu-prof, writing its profiles (every thread) here; the report adds a summary. */
  profileDir?: string | null;
}

interface Phase {
  name: string;
  records: SessionRecord[];
  stats: GatewayStats;
  wallMs: number;
  /** CPU time over the phase: the gateway process (all threads) and this simulator process. */
  gatewayCpuMs: number | null;
  simulatorCpuMs: number;
}

const stageOrder = ['decode_rgb', 'decode_depth', 'detect', 'landmarks', 'align', 'pose', 'quality', 'embedding', 'rgb_liveness', 'describe', 'depth_liveness', 'analysis_wait', 'frame_total', 'decision_after_last_frame', 'api_liveness', 'api_face_probe'];

/**
 * Two phases against the built gateway in a child process: one terminal at camera pace (per-stage latency without
 * queueing), then N terminals as fast as the gateway acks (sustained frames/s and latency under saturation).
 */
export async function runBench(presentations: Presentation[], options: BenchOptions): Promise<string> {
  const keys = generateKeys(options.terminals);
  const reference = await measureMachineReference(presentations[0].frames[0].rgb);
  const api = await startApiStub();
  const gateway = await spawnGateway(options.gatewayMain, keys, api.url, {
    MODEL_INTRA_OP_THREADS: String(options.intraOpThreads),
    MAX_ANALYSES_IN_FLIGHT: String(options.analysesInFlight),
    ANALYSIS_WORKERS: String(options.analysisWorkers),
    MAX_CONCURRENT_SESSIONS: String(options.terminals * 2),
    // The passive RGB model rejects most framed photos (docs/MODELS.md); without this, most genuine sessions would
    // stop at liveness and the benchmark would not measure the full path (phone prompt, face probe).
  }, options.profileDir ? ['--cpu-prof', '--cpu-prof-dir', options.profileDir] : []);
  const phases: Phase[] = [];
  const loadBefore = loadavg()[0];
  try {
    const base = { gatewayUrl: gateway.url, keys, amountMinor: '1250', phoneDigits: '13800138000', timeoutMs: 30_000, progress: true };
    // Warm-up: first inferences are slower (allocations, JIT); they are not measured.
    await runLoad(presentations.slice(0, 2), { ...base, terminals: 1, fps: 30, window: 2, durationMs: 0 });
    for (const phase of [
      { name: '1 terminal, 15 fps', terminals: 1, fps: 15, window: 1, durationMs: options.durationMs },
      { name: `${options.terminals} terminals, 30 fps each`, terminals: options.terminals, fps: 30, window: 2, durationMs: options.durationMs },
    ]) {
      await gateway.resetStats();
      const startedMs = performance.now();
      const gatewayCpuBefore = gateway.cpuMs();
      const simulatorCpuBefore = process.cpuUsage();
      const records = await runLoad(presentations, { ...base, ...phase });
      const gatewayCpuAfter = gateway.cpuMs();
      const simulatorCpu = process.cpuUsage(simulatorCpuBefore);
      phases.push({
        name: phase.name,
        records,
        wallMs: performance.now() - startedMs,
        stats: await gateway.stats(),
        gatewayCpuMs: gatewayCpuBefore === null || gatewayCpuAfter === null ? null : gatewayCpuAfter - gatewayCpuBefore,
        simulatorCpuMs: (simulatorCpu.user + simulatorCpu.system) / 1000,
      });
    }
  } finally {
    await gateway.stop();
    await api.close();
  }
  const report = formatBench(phases, options, [loadBefore, loadavg()[0]], reference);
  if (options.docPath) writeDocSection(options.docPath, report);
  // Profiling slows the gateway, so a profiled run's summary is printed, not written into the document's tables.
  if (options.profileDir) return `${report}\n\n${formatProfile('CPU profile, gateway (warm-up included; profiling adds overhead)', summariseProfiles(options.profileDir))}`;
  return report;
}

function formatBench(phases: Phase[], options: BenchOptions, load: [number, number], reference: MachineReference): string {
  const cpu = cpus();
  const lines = [
    `Command: \`${options.command}\``,
    `Date: ${new Date().toISOString()}`,
    `Machine: ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, ${process.platform}; 1-min load average ${load[0].toFixed(1)} before, ${load[1].toFixed(1)} after (other work shares this machine)`,
    describeMachineReference(reference),
    `Gateway: built bundle in a child process, ANALYSIS_WORKERS=${options.analysisWorkers}, MODEL_INTRA_OP_THREADS=${options.intraOpThreads}, MAX_ANALYSES_IN_FLIGHT=${options.analysesInFlight}; the simulator shares the same cores (its frames are encoded before the timed phases).`,
    'Data: real photos from .cache/images framed as 640x480 terminal frames, SYNTHETIC depth (16-bit PNG) and SYNTHETIC smile sequences; genuine presentations only.',
    '',
  ];
  const summary = phases.map((p) => {
    const frames = p.records.reduce((sum, r) => sum + r.framesOk, 0);
    const decisions = p.records.flatMap((r) => (r.decisionMs === null ? [] : [r.decisionMs]));
    const gatewayDecision = p.stats.stages.find((s) => s.stage === 'decision_after_last_frame');
    return [
      p.name,
      String(p.records.length),
      `${(frames / (p.wallMs / 1000)).toFixed(1)}`,
      `${Math.round(percentile(decisions, 50))} / ${Math.round(percentile(decisions, 95))} ms`,
      gatewayDecision ? `${gatewayDecision.p50Ms} / ${gatewayDecision.p95Ms} ms` : '-',
      `${Math.round(percentile(p.records.map((r) => r.totalMs), 95))} ms`,
      `${p.records.filter((r) => r.outcome === 'authorized').length}/${p.records.length}`,
      `${Math.round(p.stats.memoryRssBytes / 2 ** 20)} MiB`,
    ];
  });
  const cpuRows = phases.map((p) => {
    const frames = p.records.reduce((sum, r) => sum + r.framesOk, 0);
    const gatewayPerFrame = p.gatewayCpuMs === null || frames === 0 ? null : p.gatewayCpuMs / frames;
    return [
      p.name,
      gatewayPerFrame === null ? '-' : gatewayPerFrame.toFixed(1),
      frames === 0 ? '-' : (p.simulatorCpuMs / frames).toFixed(1),
      p.gatewayCpuMs === null ? '-' : `${(p.gatewayCpuMs / p.wallMs).toFixed(2)} cores`,
      gatewayPerFrame === null ? '-' : `${Math.round((cpu.length * 1000) / gatewayPerFrame)}`,
    ];
  });
  lines.push(
    renderTable(['load', 'sessions', 'frames/s analysed', 'decision p50/p95 (terminal: last frame sent → verdict)', 'decision p50/p95 (gateway: last frame received → verdict)', 'session p95', 'authorized', 'gateway RSS'], summary, true),
    '',
  );
  lines.push(
    'CPU time per analysed frame (everything the gateway process did in the phase, every thread, divided by the frames it acknowledged; the simulator\'s own CPU is separate). The last column is what that cost allows if the gateway had all cores to itself:',
    '',
    renderTable(['load', 'gateway CPU ms / frame', 'simulator CPU ms / frame', 'gateway CPU used', `frames/s the gateway's CPU cost allows on ${cpu.length} idle cores`], cpuRows, true),
    '',
  );
  const stageRows = stageOrder.flatMap((stage) => {
    const cells = phases.map((p) => p.stats.stages.find((s) => s.stage === stage));
    if (cells.every((c) => !c)) return [];
    return [[stage, ...cells.map((c) => (c ? `${c.p50Ms} / ${c.p95Ms}` : '-'))]];
  });
  lines.push(renderTable(['stage (ms, p50 / p95)', ...phases.map((p) => p.name)], stageRows, true));
  return lines.join('\n');
}

/** Replaces only the "## Terminal gateway" section of docs/PERFORMANCE.md (others own the other sections). */
export function writeDocSection(path: string, report: string): void {
  const heading = '## Terminal gateway';
  const reading = [
    'Reading the figures: "frames/s analysed" counts frames the gateway acknowledged as analysed over the phase\'s wall',
    'time; in the saturated phase `analysis_wait` is the time a frame queued for an analysis thread. "Decision" is the',
    'last frame → verdict time (phone prompt for a live face, result otherwise), seen from the terminal and from the',
    'gateway. Not every frame runs every stage (docs/MODELS.md section 10): detect and landmarks run on every frame,',
    '`describe` (align, pose, quality, embedding, rgb_liveness) on the probe frame, embedding and depth on every third',
    'frame; each stage\'s percentiles are over the frames that ran it. The load average above says how much of the two',
    'cores other work took during the run: on a busy machine every figure here is pessimistic, CPU time per frame',
    'included (contention for caches and the shared cores inflates it too).',
  ].join('\n');
  const current = existsSync(path) ? readFileSync(path, 'utf8') : '# Performance\n\nEach section is owned and regenerated by its own benchmark.\n';
  const start = current.indexOf(`${heading}\n`);
  const section = `${heading}\n\nMeasured by \`npx nx run terminal-gateway:bench\` (tools/terminal-sim \`bench\`). Figures are on synthetic presentations.\n\n${report}\n\n${reading}\n${keptNotes(current, start)}`;
  if (start < 0) return writeFileSync(path, `${current.trimEnd()}\n\n${section}`);
  const after = current.slice(start + heading.length);
  const nextHeading = after.search(/\n## /);
  const end = nextHeading < 0 ? current.length : start + heading.length + nextHeading + 1;
  writeFileSync(path, `${current.slice(0, start)}${section}${nextHeading < 0 ? '' : '\n'}${current.slice(end)}`);
}

/**
 * The hand-written "### Analysis" subsection of the current section (targets, profiles, what remains), kept across
 * runs: the bench regenerates the tables, people write the reading of them.
 */
function keptNotes(current: string, sectionStart: number): string {
  if (sectionStart < 0) return '';
  const rest = current.slice(sectionStart + 1);
  const nextSection = rest.search(/\n## /);
  const section = nextSection < 0 ? rest : rest.slice(0, nextSection + 1);
  const notes = section.indexOf('\n### Analysis\n');
  return notes < 0 ? '' : `${section.slice(notes).trimEnd()}\n`;
}
