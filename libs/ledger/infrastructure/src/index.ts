export * from './lib/read-models/ledger-account.entity';
export * from './lib/read-models/ledger-transfer.entity';
export * from './lib/read-models/create-ledger-read-models.migration';
export * from './lib/read-models/ledger-balances.projection';
export * from './lib/read-models/ledger-transfers.projection';
export * from './lib/read-models/ledger-read-models';
