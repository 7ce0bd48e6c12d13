export * from './lib/decider';
export * from './lib/domain-error';
export * from './lib/sha256';
export * from './lib/testing/given-when-then';
export * from './lib/sorted-keys';
