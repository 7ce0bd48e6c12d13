import { Logger, type Provider } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { CheckoutService } from '@smilepay/checkout/application';
import { EnrollmentService, parseFaceMatchingConfig, type FaceMatchingConfig } from '@smilepay/enrollment/application';
import {
  BiometricTemplateEntity,
  CreateBiometricVault1764300000000,
  CustomerKeyEntity,
  CustomerPinEntity,
  parseEnrollmentConfig,
  PhoneIndex,
  PinVault,
  TemplateVault,
  type EnrollmentConfig,
} from '@smilepay/enrollment/infrastructure';
import { LedgerService } from '@smilepay/ledger/application';
import { RiskStanding } from '@smilepay/risk/application';
import type { EventStore } from '@smilepay/shared/eventstore';
import { ReadModelDataSource } from '@smilepay/shared/projections';
import { join } from 'node:path';
import type { ApiConfig } from '../config/api-config';
import { EVENT_STORE, READ_MODELS_QUERY } from '../infrastructure/tokens';

export const VAULT_DB = Symbol('VAULT_DB');
export const ENROLLMENT_CONFIG = Symbol('ENROLLMENT_CONFIG');
export const FACE_MATCHING = Symbol('FACE_MATCHING');

/** Country calling code for national numbers typed without one (a terminal asks for 11 digits, not +86…). */
function defaultCountryCode(): string {
  const code = process.env['DEFAULT_COUNTRY_CODE'] || '86';
  if (!/^[1-9][0-9]{0,2}$/.test(code)) throw new Error('invalid configuration: DEFAULT_COUNTRY_CODE must be 1-3 digits, e.g. 86');
  return code;
}

/**
 * The biometric vault lives in its own database (SQLite `vault.sqlite`, or the PostgreSQL read-model database): it is
 * not a projection, must never be dropped by a rebuild, and keeping it apart lets operators back it up and restrict
 * it on its own terms.
 */
export const customerProviders: Provider[] = [
  { provide: ENROLLMENT_CONFIG, useFactory: (): EnrollmentConfig => parseEnrollmentConfig(process.env) },
  { provide: FACE_MATCHING, useFactory: (): FaceMatchingConfig => parseFaceMatchingConfig(process.env) },
  {
    provide: VAULT_DB,
    inject: [ConfigService],
    useFactory: async (config: ConfigService) => {
      const { databaseUrl, databaseSchema, dataDir } = config.getOrThrow<ApiConfig>('api');
      const vault = new ReadModelDataSource({
        databaseUrl,
        schema: databaseSchema,
        sqlitePath: join(dataDir, 'vault.sqlite'),
        entities: [BiometricTemplateEntity, CustomerKeyEntity, CustomerPinEntity],
        migrations: [CreateBiometricVault1764300000000],
      });
      await vault.migrate();
      return vault;
    },
  },
  {
    provide: TemplateVault,
    inject: [VAULT_DB, ENROLLMENT_CONFIG],
    useFactory: (db: ReadModelDataSource, c: EnrollmentConfig) => new TemplateVault(db, { masterKey: c.masterKey, masterKeyId: c.masterKeyId }),
  },
  { provide: PinVault, inject: [VAULT_DB, ENROLLMENT_CONFIG], useFactory: (db: ReadModelDataSource, c: EnrollmentConfig) => new PinVault(db, { pepper: c.pinPepper }) },
  { provide: PhoneIndex, inject: [READ_MODELS_QUERY], useFactory: (db: ReadModelDataSource) => new PhoneIndex(db) },
  {
    provide: EnrollmentService,
    inject: [EVENT_STORE, TemplateVault, PinVault, PhoneIndex, LedgerService, FACE_MATCHING, ENROLLMENT_CONFIG],
    useFactory: (store: EventStore, vault: TemplateVault, pins: PinVault, phones: PhoneIndex, ledger: LedgerService, matching: FaceMatchingConfig, c: EnrollmentConfig) =>
      new EnrollmentService({ store, vault, pins, phones, ledger, matching, policy: { templateRetentionDays: c.templateRetentionDays, defaultCountryCode: defaultCountryCode() }, logger: new Logger('Enrollment') }),
  },
  {
    provide: CheckoutService,
    inject: [EVENT_STORE, EnrollmentService, TemplateVault, PhoneIndex, LedgerService, FACE_MATCHING],
    useFactory: (store: EventStore, enrollment: EnrollmentService, vault: TemplateVault, phones: PhoneIndex, ledger: LedgerService, matching: FaceMatchingConfig) =>
      // Risk's locks and quarantines are read from their own streams (checkout cannot import risk: see ARCHITECTURE.md).
      new CheckoutService({ store, risk: new RiskStanding(store), enrollment, vault, phones, ledger, matching, defaultCountryCode: defaultCountryCode(), logger: new Logger('Checkout') }),
  },
];
