import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { AuditKeyStore } from '@smilepay/audit/application';
import { DEFAULT_LEDGER_NAME } from '@smilepay/audit/domain';
import { createEventStore, EVENTS_FILE_NAME, type EventStore } from '@smilepay/shared/eventstore';
import { ReadModelDataSource } from '@smilepay/shared/projections';
import { type CliIo, UsageError } from './output';
import { type Progress, progressBar } from './progress';
import { auditReadModels } from './read-model-registry';

type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** Options every command accepts (see README "Connecting"). */
export const COMMON_OPTIONS = {
  'data-dir': { type: 'string' },
  'eventstore-url': { type: 'string' },
  'database-url': { type: 'string' },
  'database-schema': { type: 'string' },
  'key-dir': { type: 'string' },
  ledger: { type: 'string' },
  json: { type: 'boolean' },
  'no-progress': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionSpec;

export type OptionValues = Record<string, string | boolean | string[] | undefined>;

/** What a command gets: its parsed arguments, and lazily opened connections that run-cli closes afterwards. */
export class CliContext {
  private store: EventStore | undefined;
  private readModels: ReadModelDataSource | undefined;

  constructor(
    readonly io: CliIo,
    readonly options: OptionValues,
    readonly positionals: string[],
    private readonly env: NodeJS.ProcessEnv,
    private readonly cwd: string,
  ) {}

  static parse(io: CliIo, argv: string[], extra: OptionSpec, env: NodeJS.ProcessEnv, cwd: string): CliContext {
    try {
      const { values, positionals } = parseArgs({ args: argv, options: { ...COMMON_OPTIONS, ...extra }, allowPositionals: true, strict: true });
      return new CliContext(io, values as OptionValues, positionals, env, cwd);
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
  }

  string(name: string): string | undefined {
    const value = this.options[name];
    return typeof value === 'string' ? value : undefined;
  }

  strings(name: string): string[] {
    const value = this.options[name];
    if (Array.isArray(value)) return value;
    return typeof value === 'string' ? [value] : [];
  }

  flag(name: string): boolean {
    return this.options[name] === true;
  }

  get json(): boolean {
    return this.flag('json');
  }

  get ledgerName(): string {
    return this.string('ledger') ?? DEFAULT_LEDGER_NAME;
  }

  get dataDir(): string {
    const dir = this.string('data-dir') ?? (this.env['DATA_DIR'] || 'data');
    return isAbsolute(dir) ? dir : resolve(this.cwd, dir);
  }

  progress(title: string, unit?: string): Progress {
    return progressBar(this.io, !this.flag('no-progress'), title, unit);
  }

  /** The event store: KurrentDB for --eventstore-url (or EVENTSTORE_URL), else `<data-dir>/events.sqlite`, which must exist. */
  async eventStore(): Promise<EventStore> {
    if (this.store !== undefined) return this.store;
    const eventstoreUrl = this.string('eventstore-url') ?? (this.env['EVENTSTORE_URL'] || undefined);
    if (eventstoreUrl === undefined && !existsSync(join(this.dataDir, EVENTS_FILE_NAME))) {
      throw new UsageError(`no event store at ${join(this.dataDir, EVENTS_FILE_NAME)}: pass --data-dir or --eventstore-url`);
    }
    this.store = createEventStore({ eventstoreUrl, dataDir: this.dataDir });
    return this.store;
  }

  /** The live read model, opened read-only in spirit: never migrated, never written. */
  async liveReadModels(): Promise<ReadModelDataSource> {
    if (this.readModels !== undefined) return this.readModels;
    const databaseUrl = this.databaseUrl;
    const sqlitePath = join(this.dataDir, 'read-models.sqlite');
    if (databaseUrl === undefined && !existsSync(sqlitePath)) {
      throw new UsageError(`no read model at ${sqlitePath}: pass --data-dir or --database-url`);
    }
    const schema = this.string('database-schema') ?? (this.env['DATABASE_SCHEMA'] || undefined);
    const dataSource = new ReadModelDataSource({ databaseUrl, schema, sqlitePath, entities: auditReadModels.entities, migrations: [] });
    this.readModels = await dataSource.initialize();
    return this.readModels;
  }

  get databaseUrl(): string | undefined {
    return this.string('database-url') ?? (this.env['DATABASE_URL'] || undefined);
  }

  /** Sealing keys: --key-dir, AUDIT_KEY_DIR, or `<data-dir>/audit-keys`. */
  keyStore(): AuditKeyStore {
    const dir = this.string('key-dir') ?? (this.env['AUDIT_KEY_DIR'] || join(this.dataDir, 'audit-keys'));
    return new AuditKeyStore(isAbsolute(dir) ? dir : resolve(this.cwd, dir));
  }

  resolvePath(path: string): string {
    return isAbsolute(path) ? path : resolve(this.cwd, path);
  }

  async close(): Promise<void> {
    if (this.readModels?.isInitialized) await this.readModels.destroy();
    await this.store?.close();
  }
}
