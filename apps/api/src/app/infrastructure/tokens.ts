/** Injection tokens for the framework-free pieces the api composes. */
export const EVENT_STORE = Symbol('EVENT_STORE');
export const READ_MODELS = Symbol('READ_MODELS');
/**
 * The read side for queries. On SQLite TypeORM has one connection per DataSource, so a query on the projections'
 * DataSource could see a batch that has not committed yet; queries get their own connection (WAL lets readers run
 * beside the writer). On PostgreSQL the pool already isolates them and this is the same DataSource.
 */
export const READ_MODELS_QUERY = Symbol('READ_MODELS_QUERY');
