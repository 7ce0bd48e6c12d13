export * from './lib/error-codes';
export * from './lib/money';
export * from './lib/terminal-auth';
export * from './lib/checkout-session';
export * from './lib/internal-api';
export * from './lib/validate';
