import { SingleBar } from 'cli-progress';
import type { CliIo } from './output';

export interface Progress {
  /** Moves the bar; `total` may grow (the head moves while we read). */
  update(done: number, total?: number, label?: string): void;
  stop(): void;
}

const silent: Progress = { update: () => undefined, stop: () => undefined };

/**
 * A progress bar on stderr (never stdout, which may be an export piped to a file). Only on a terminal and unless
 * --no-progress: logs and CI output stay clean.
 */
export function progressBar(io: CliIo, enabled: boolean, title: string, unit = 'events'): Progress {
  if (!enabled || !io.errIsTty) return silent;
  const bar = new SingleBar({
    stream: io.err as NodeJS.WritableStream,
    format: `${title} [{bar}] {percentage}% | {value}/{total} ${unit} | {rate}/s | {label}`,
    barsize: 30,
    hideCursor: true,
    clearOnComplete: false,
    etaBuffer: 50,
  });
  const started = Date.now();
  let running = false;
  return {
    update(done, total, label = '') {
      const rate = Math.round(done / Math.max((Date.now() - started) / 1000, 0.001));
      if (!running) {
        bar.start(Math.max(total ?? done, 1), done, { label, rate });
        running = true;
        return;
      }
      if (total !== undefined) bar.setTotal(Math.max(total, done, 1));
      bar.update(done, { label, rate });
    },
    stop() {
      if (running) bar.stop();
    },
  };
}
