export * from './lib/nonce-store';
export * from './lib/redis-nonce-registry';
export * from './lib/secret';
export * from './lib/request-verifier';
export * from './lib/signer';
