export * from './lib/dashboard';
