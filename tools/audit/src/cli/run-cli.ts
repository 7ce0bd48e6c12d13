import type { Command } from './command';
import { CliContext } from './context';
import { categoryCommand, exportCommand, streamCommand } from './commands/read-commands';
import { balanceCommand, invariantsCommand, rebuildDiffCommand } from './commands/ledger-commands';
import {
  checkProofCommand,
  consistencyCommand,
  proveCommand,
  publicKeyCommand,
  rotateKeyCommand,
  sealCommand,
  verifyCommand,
} from './commands/tamper-commands';
import { type CliIo, EXIT, UsageError, write } from './output';

export const COMMANDS: readonly Command[] = [
  streamCommand,
  categoryCommand,
  exportCommand,
  balanceCommand,
  invariantsCommand,
  rebuildDiffCommand,
  verifyCommand,
  proveCommand,
  consistencyCommand,
  checkProofCommand,
  sealCommand,
  rotateKeyCommand,
  publicKeyCommand,
];

const CONNECTING = `Connecting (every command):
  --data-dir <dir>          embedded store <dir>/events.sqlite and read model <dir>/read-models.sqlite (default $DATA_DIR or ./data)
  --eventstore-url <url>    KurrentDB (kurrentdb://...) instead of the embedded store (default $EVENTSTORE_URL)
  --database-url <url>      PostgreSQL live read model (default $DATABASE_URL); --database-schema <s> ($DATABASE_SCHEMA)
  --key-dir <dir>           sealing keys (default $AUDIT_KEY_DIR or <data-dir>/audit-keys)
  --ledger <name>           audit stream audit_checkpoint-<name> (default main)
  --json                    machine-readable output     --no-progress   no progress bar on stderr`;

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const list = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n');
  return `usage: audit <command> [options]\n\nCommands:\n${list}\n\n${CONNECTING}\n\nExit codes: 0 ok, 1 the audit found a problem, 2 the command failed.\n`;
}

/** Runs one command line; returns the exit code. Never throws: every error becomes a message on stderr. */
export async function runCli(argv: string[], io: CliIo, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    await write(name === undefined ? io.err : io.out, usage());
    return name === undefined ? EXIT.error : EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (command === undefined) {
    await write(io.err, `audit: unknown command "${name}"\n\n${usage()}`);
    return EXIT.error;
  }
  let ctx: CliContext | undefined;
  try {
    ctx = CliContext.parse(io, rest, command.options, env, cwd);
    if (ctx.flag('help')) {
      await write(io.out, `usage: ${command.usage}\n\n${command.summary}\n\n${CONNECTING}\n`);
      return EXIT.ok;
    }
    return await command.run(ctx);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const hint = error instanceof UsageError ? `\nusage: ${command.usage}` : '';
    await write(io.err, `audit ${name}: ${message}${hint}\n`);
    if (!(error instanceof UsageError) && env['AUDIT_DEBUG'] && error instanceof Error) await write(io.err, `${error.stack}\n`);
    return EXIT.error;
  } finally {
    await ctx?.close().catch(() => undefined);
  }
}
