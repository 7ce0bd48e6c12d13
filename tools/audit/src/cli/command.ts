import type { ParseArgsConfig } from 'node:util';
import type { CliContext } from './context';

export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Arguments and options, shown by `audit <command> --help`. */
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** Returns the exit code (see EXIT). */
  run(ctx: CliContext): Promise<number>;
}
