export * from './lib/config/enrollment-config';
export * from './lib/vault/vault.entities';
export * from './lib/vault/template-vault';
export * from './lib/vault/template-vault.errors';
export { InvalidEmbeddingError, MAX_EMBEDDING_DIMENSION } from './lib/vault/embedding-codec';
export * from './lib/pins/pin-vault';
export * from './lib/phone-index/phone-index';
export * from './lib/migrations/create-enrollment-tables.migration';
export * from './lib/enrollment-read-models';
