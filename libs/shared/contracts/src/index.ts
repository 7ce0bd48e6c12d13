export * from './lib/dashboard';
export * from './lib/claims';
export * from './lib/request-signing';
export * from './lib/audit';
