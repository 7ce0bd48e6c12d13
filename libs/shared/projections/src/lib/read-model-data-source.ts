import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Client } from 'pg';
import { DataSource, type DataSourceOptions, type EntityManager } from 'typeorm';

export type ReadModelDialect = 'postgres' | 'sqlite';

export interface ReadModelDataSourceOptions {
  /** `postgres://` or `postgresql://` selects PostgreSQL; absent or empty selects SQLite at `sqlitePath`. */
  databaseUrl?: string;
  sqlitePath: string;
  /** Entity classes (or schemas), e.g. `[...projectionEntities, ...ledgerReadModelEntities]`. */
  entities: NonNullable<DataSourceOptions['entities']>;
  /** Migration classes, e.g. `[...projectionMigrations, ...ledgerReadModelMigrations]`. */
  migrations: NonNullable<DataSourceOptions['migrations']>;
  /**
   * PostgreSQL only: the schema that holds every table (created if missing, set as the connection's search_path).
   * Tests pass a unique one per run so parallel runs never see each other's rows.
   */
  schema?: string;
  /** SQLite only: how long a writer waits for another connection's write lock before SQLITE_BUSY. */
  sqliteBusyTimeoutMs?: number;
  /** PostgreSQL only: connections in the pool (bounded like every other resource). */
  poolSize?: number;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Which database a URL selects. A non-empty URL that is not PostgreSQL is refused so a typo never falls back silently. */
export function readModelDialectOf(databaseUrl: string | undefined): ReadModelDialect {
  if (databaseUrl === undefined || databaseUrl.trim() === '') return 'sqlite';
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return 'postgres';
  throw new Error(`DATABASE_URL must start with postgres:// or postgresql:// (got scheme "${databaseUrl.split(':')[0]}")`);
}

/**
 * A TypeORM DataSource for read models. `synchronize` is always off: schema changes only happen through `migrate()`.
 */
export class ReadModelDataSource extends DataSource {
  readonly dialect: ReadModelDialect;
  readonly schemaName: string | undefined;
  private readonly databaseUrl: string | undefined;
  private readonly sqlitePath: string;

  constructor(options: ReadModelDataSourceOptions) {
    const dialect = readModelDialectOf(options.databaseUrl);
    if (options.schema !== undefined && !SCHEMA_NAME.test(options.schema)) {
      throw new Error(`read-model schema "${options.schema}" must match ${SCHEMA_NAME}`);
    }
    super(buildOptions(dialect, options));
    this.dialect = dialect;
    this.schemaName = dialect === 'postgres' ? options.schema : undefined;
    this.databaseUrl = options.databaseUrl;
    this.sqlitePath = options.sqlitePath;
  }

  override async initialize(): Promise<this> {
    if (this.dialect === 'postgres' && this.schemaName !== undefined) await this.createSchema();
    if (this.dialect === 'sqlite' && this.sqlitePath !== ':memory:') mkdirSync(dirname(this.sqlitePath), { recursive: true });
    return super.initialize();
  }

  /** Initializes if needed and runs pending migrations, each in its own transaction. Returns the names applied. */
  async migrate(): Promise<string[]> {
    if (!this.isInitialized) await this.initialize();
    if (this.dialect === 'sqlite') return (await this.runMigrations({ transaction: 'each' })).map((m) => m.name);
    // Two api instances booting together must not both run the same CREATE TABLE: a session advisory lock
    // (keyed by schema) serialises them; the second one then finds nothing pending.
    const runner = this.createQueryRunner();
    try {
      await runner.query(`SELECT pg_advisory_lock(hashtext('smilepay_read_models:' || current_schema()))`);
      try {
        return (await this.runMigrations({ transaction: 'each' })).map((m) => m.name);
      } finally {
        await runner.query(`SELECT pg_advisory_unlock(hashtext('smilepay_read_models:' || current_schema()))`);
      }
    } finally {
      await runner.release();
    }
  }

  // The schema has to exist before TypeORM connects: the driver caches current_schema() on its first connection.
  private async createSchema(): Promise<void> {
    const client = new Client({ connectionString: this.databaseUrl });
    await client.connect();
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${this.schemaName}"`);
    } catch (error) {
      // Two data sources booting together can both pass IF NOT EXISTS; the loser sees a duplicate, which is success.
      const code = (error as { code?: string }).code;
      if (code !== '23505' && code !== '42P06') throw error;
    } finally {
      await client.end();
    }
  }
}

function buildOptions(dialect: ReadModelDialect, options: ReadModelDataSourceOptions): DataSourceOptions {
  const common = {
    entities: options.entities,
    migrations: options.migrations,
    synchronize: false,
    migrationsRun: false,
    migrationsTableName: 'read_model_migrations',
  } as const;
  if (dialect === 'postgres') {
    return {
      ...common,
      type: 'postgres',
      url: options.databaseUrl,
      schema: options.schema,
      poolSize: options.poolSize ?? 10,
      // search_path makes the migrations' unqualified table names land in the chosen schema.
      extra: options.schema === undefined ? {} : { options: `-c search_path=${options.schema}` },
    };
  }
  return {
    ...common,
    type: 'better-sqlite3',
    database: options.sqlitePath,
    enableWAL: true,
    timeout: options.sqliteBusyTimeoutMs ?? 5000,
    // NORMAL is durable across application crashes in WAL mode; read models can be rebuilt after a power loss.
    prepareDatabase: (db: { pragma(source: string): unknown }) => {
      db.pragma('synchronous = NORMAL');
    },
  };
}

/** Opens (without initializing) a read-model DataSource: PostgreSQL for a postgres:// URL, else SQLite in WAL mode. */
export function createReadModelDataSource(options: ReadModelDataSourceOptions): ReadModelDataSource {
  return new ReadModelDataSource(options);
}

export function dialectOf(source: DataSource | EntityManager): ReadModelDialect {
  const type = (source instanceof DataSource ? source : source.dataSource).options.type;
  if (type === 'postgres') return 'postgres';
  if (type === 'better-sqlite3') return 'sqlite';
  throw new Error(`read models support postgres and better-sqlite3, not ${type}`);
}
