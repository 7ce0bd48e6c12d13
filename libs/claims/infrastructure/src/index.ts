export * from './lib/read-model/claim.entity';
export * from './lib/read-model/create-claims-read-model.migration';
export * from './lib/read-model/claims.projection';
export * from './lib/read-model/claims-queries';
export * from './lib/read-model/claims-read-model';
