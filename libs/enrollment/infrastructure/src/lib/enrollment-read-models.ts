import {
  CreateBiometricVault1764300000000,
  CreateCustomerPhoneIndex1764300000100,
} from './migrations/create-enrollment-tables.migration';
import { customerPhoneIndexProjection } from './phone-index/phone-index';
import {
  BiometricTemplateEntity,
  CustomerKeyEntity,
  CustomerPhoneEntity,
  CustomerPinEntity,
} from './vault/vault.entities';

/** Add these to the read-model DataSource (createReadModelDataSource) of any process that enrolls or checks out. */
export const enrollmentEntities = [BiometricTemplateEntity, CustomerKeyEntity, CustomerPinEntity, CustomerPhoneEntity];
export const enrollmentMigrations = [CreateBiometricVault1764300000000, CreateCustomerPhoneIndex1764300000100];
/** Register with the ProjectionRunner. The vault tables are deliberately not projections: they are not rebuildable. */
export const enrollmentProjections = [customerPhoneIndexProjection];
