import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createEventStore, type EventStore } from '@smilepay/shared/eventstore';
import { ReadModelDataSource } from '@smilepay/shared/projections';
import { join } from 'node:path';
import type { ApiConfig } from '../config/api-config';
import { ProjectionsService } from './projections.service';
import { readModelRegistry } from './read-model-registry';
import { EVENT_STORE, READ_MODELS, READ_MODELS_QUERY } from './tokens';

const api = (config: ConfigService) => config.getOrThrow<ApiConfig>('api');

/** The event store, the read-model database (migrated at boot) and the projections, shared by every feature module. */
@Global()
@Module({
  providers: [
    {
      provide: EVENT_STORE,
      inject: [ConfigService],
      useFactory: (config: ConfigService) => createEventStore({ eventstoreUrl: api(config).eventstoreUrl, dataDir: api(config).dataDir }),
    },
    {
      provide: READ_MODELS,
      inject: [ConfigService],
      useFactory: async (config: ConfigService) => {
        const { databaseUrl, databaseSchema, dataDir } = api(config);
        const dataSource = new ReadModelDataSource({
          databaseUrl,
          schema: databaseSchema,
          sqlitePath: join(dataDir, 'read-models.sqlite'),
          entities: readModelRegistry.entities,
          migrations: readModelRegistry.migrations,
        });
        await dataSource.migrate();
        return dataSource;
      },
    },
    {
      provide: READ_MODELS_QUERY,
      inject: [ConfigService, READ_MODELS],
      useFactory: async (config: ConfigService, writer: ReadModelDataSource) => {
        if (writer.dialect === 'postgres') return writer;
        const reader = new ReadModelDataSource({
          sqlitePath: join(api(config).dataDir, 'read-models.sqlite'),
          entities: readModelRegistry.entities,
          migrations: [],
        });
        return reader.initialize();
      },
    },
    ProjectionsService,
  ],
  exports: [EVENT_STORE, READ_MODELS, READ_MODELS_QUERY, ProjectionsService],
})
export class InfrastructureModule implements OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODELS) private readonly readModels: ReadModelDataSource,
    @Inject(READ_MODELS_QUERY) private readonly queries: ReadModelDataSource,
  ) {}

  // ProjectionsService stops its subscriptions in beforeApplicationShutdown, which Nest runs before this.
  async onApplicationShutdown(): Promise<void> {
    if (this.queries !== this.readModels && this.queries.isInitialized) await this.queries.destroy();
    if (this.readModels.isInitialized) await this.readModels.destroy();
    await this.store.close();
  }
}
