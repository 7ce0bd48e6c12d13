import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
}

export interface HotFunction {
  name: string;
  selfMs: number;
  share: number;
}

export interface ProfileSummary {
  files: number;
  /** Sampled time that was not idle, summed over every thread's profile. */
  busyMs: number;
  top: HotFunction[];
}

/**
 * Self time by function over every `.cpuprofile` in a directory (node --cpu-prof writes one per thread: the main
 * thread and each analysis worker). Native work (onnxruntime, sharp, SQLite) is charged to the JavaScript function
 * that called into it, which names the stage well enough to find the bottleneck.
 */
export function summariseProfiles(dir: string, topN = 10): ProfileSummary {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  const selfMs = new Map<string, number>();
  let busyMs = 0;
  for (const file of files) {
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
    const samples = profile.samples?.length ?? 0;
    if (samples === 0) continue;
    const msPerSample = (profile.endTime - profile.startTime) / 1000 / samples;
    for (const node of profile.nodes) {
      const hits = node.hitCount ?? 0;
      const { functionName, url, lineNumber } = node.callFrame;
      if (hits === 0 || functionName === '(idle)') continue;
      const key = url ? `${functionName || '(anonymous)'} (${basename(url)}:${lineNumber + 1})` : functionName || '(anonymous)';
      selfMs.set(key, (selfMs.get(key) ?? 0) + hits * msPerSample);
      busyMs += hits * msPerSample;
    }
  }
  const top = [...selfMs.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, topN)
    .map(([name, ms]) => ({ name, selfMs: ms, share: busyMs === 0 ? 0 : ms / busyMs }));
  return { files: files.length, busyMs, top };
}

export function formatProfile(title: string, summary: ProfileSummary): string {
  const rows = summary.top.map((f) => `| ${f.name.replace(/\|/g, '\\|')} | ${Math.round(f.selfMs)} | ${(f.share * 100).toFixed(1)}% |`);
  return [`${title}: ${summary.files} thread profile(s), ${(summary.busyMs / 1000).toFixed(1)} s of CPU sampled`, '', '| function (self time) | ms | share |', '|---|---|---|', ...rows].join('\n');
}
