import { randomUUID } from 'node:crypto';
import { SingleBar, Presets } from 'cli-progress';
import type { Presentation } from '@smilepay/biometrics/infrastructure';
import type { TerminalKey } from './signing';
import { SessionRecord, SimTerminal, TerminalOptions } from './terminal';

export interface LoadOptions extends TerminalOptions {
  gatewayUrl: string;
  keys: TerminalKey[];
  terminals: number;
  amountMinor: string;
  progress: boolean;
  /** Keep cycling through the presentations until this many ms have passed (benchmark); 0 = each once. */
  durationMs: number;
}

/**
 * N terminals take presentations from one shared list, each running one session at a time on its own signed
 * connection, like a row of shop terminals. Returns one record per session, in completion order.
 */
export async function runLoad(presentations: Presentation[], options: LoadOptions): Promise<SessionRecord[]> {
  const records: SessionRecord[] = [];
  const total = options.durationMs > 0 ? 0 : presentations.length;
  const bar = options.progress ? new SingleBar({ format: 'sessions {bar} {value}/{total} | {species}', hideCursor: true }, Presets.shades_classic) : null;
  bar?.start(total || 1, 0, { species: '' });
  const deadline = performance.now() + options.durationMs;
  let next = 0;
  const take = (): Presentation | null => {
    if (options.durationMs > 0) return performance.now() < deadline ? presentations[next++ % presentations.length] : null;
    return next < presentations.length ? presentations[next++] : null;
  };
  const worker = async (index: number) => {
    const key = options.keys[index % options.keys.length];
    const terminal = await SimTerminal.connect(options.gatewayUrl, key);
    try {
      for (let p = take(); p; p = take()) {
        const record = await terminal.present(p, randomUUID(), options.amountMinor, options).catch(
          (error: Error): SessionRecord => ({ species: p.species, customerId: p.customerId, terminalId: key.terminalId, outcome: 'transport_error', code: error.message, framesSent: 0, framesOk: 0, frameCodes: {}, totalMs: 0, decisionMs: null }),
        );
        records.push(record);
        if (bar && options.durationMs > 0) bar.setTotal(records.length);
        bar?.increment(1, { species: p.species });
      }
    } finally {
      terminal.close();
    }
  };
  try {
    await Promise.all(Array.from({ length: options.terminals }, (_, i) => worker(i)));
  } finally {
    bar?.stop();
  }
  return records;
}
