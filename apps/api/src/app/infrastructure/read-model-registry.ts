import { ledgerProjections, ledgerReadModelEntities, ledgerReadModelMigrations } from '@smilepay/ledger/infrastructure';
import { CreateProjectionCheckpoints1764100000000, ProjectionCheckpointEntity, type Projection } from '@smilepay/shared/projections';

/**
 * Every read model the api maintains. A lib contributes its entities, migrations and projections here, in one place,
 * so the DataSource, the projection runner and the rebuild command always agree on the set.
 */
export const readModelRegistry = {
  entities: [ProjectionCheckpointEntity, ...ledgerReadModelEntities],
  migrations: [CreateProjectionCheckpoints1764100000000, ...ledgerReadModelMigrations],
  projections: [...ledgerProjections] as Projection[],
};
