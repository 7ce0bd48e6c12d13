export * from './lib/event-store.port';
export * from './lib/errors';
export * from './lib/command-handler';
