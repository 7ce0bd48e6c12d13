import { ledgerProjections, ledgerReadModelEntities, ledgerReadModelMigrations } from '@smilepay/ledger/infrastructure';
import { type Projection, projectionEntities, projectionMigrations } from '@smilepay/shared/projections';

/**
 * The read models `audit rebuild-diff` rebuilds: the same set as the api's read-model registry
 * (apps/api/src/app/infrastructure/read-model-registry.ts). A projection added there must be added here too.
 */
export const auditReadModels = {
  entities: [...projectionEntities, ...ledgerReadModelEntities],
  migrations: [...projectionMigrations, ...ledgerReadModelMigrations],
  projections: [...ledgerProjections] as Projection[],
};
