import { ClaimEntity } from './claim.entity';
import { claimsProjection } from './claims.projection';
import { CreateClaimsReadModel1764500000000 } from './create-claims-read-model.migration';

/** Register these with the read-model DataSource and the projection runner. */
export const claimsReadModelEntities = [ClaimEntity];
export const claimsReadModelMigrations = [CreateClaimsReadModel1764500000000];
export const claimsProjections = [claimsProjection];
