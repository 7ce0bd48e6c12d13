export * from './lib/ledger-wire';
