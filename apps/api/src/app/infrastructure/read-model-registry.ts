import { claimsProjections, claimsReadModelEntities, claimsReadModelMigrations } from '@smilepay/claims/infrastructure';
import { riskDetectorProjection } from '@smilepay/risk/application';
import { riskAlertProjections, riskReadModelEntities, riskReadModelMigrations } from '@smilepay/risk/infrastructure';
import { checkoutProjections, checkoutReadModelEntities, checkoutReadModelMigrations } from '@smilepay/checkout/infrastructure';
import { CreateCustomerPhoneIndex1764300000100, CustomerPhoneEntity, enrollmentProjections } from '@smilepay/enrollment/infrastructure';
import { ledgerProjections, ledgerReadModelEntities, ledgerReadModelMigrations } from '@smilepay/ledger/infrastructure';
import { CreateProjectionCheckpoints1764100000000, ProjectionCheckpointEntity, type Projection } from '@smilepay/shared/projections';

/**
 * Every read model the api maintains. A lib contributes its entities, migrations and projections here, in one place,
 * so the DataSource, the projection runner and the rebuild command always agree on the set.
 */
export const readModelRegistry = {
  entities: [ProjectionCheckpointEntity, ...ledgerReadModelEntities, CustomerPhoneEntity, ...checkoutReadModelEntities, ...claimsReadModelEntities, ...riskReadModelEntities],
  migrations: [CreateProjectionCheckpoints1764100000000, ...ledgerReadModelMigrations, CreateCustomerPhoneIndex1764300000100, ...checkoutReadModelMigrations, ...claimsReadModelMigrations, ...riskReadModelMigrations],
  projections: [...ledgerProjections, ...enrollmentProjections, ...checkoutProjections, ...claimsProjections, ...riskAlertProjections, riskDetectorProjection] as Projection[],
};
