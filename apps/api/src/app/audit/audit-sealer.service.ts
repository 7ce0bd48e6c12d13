import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AuditKeyStore, Sealer } from '@smilepay/audit/application';
import type { EventStore } from '@smilepay/shared/eventstore';
import { join } from 'node:path';
import { ClusterService } from '../cluster/cluster.service';
import type { ApiConfig } from '../config/api-config';
import { EVENT_STORE } from '../infrastructure/tokens';

/**
 * Seals the event log in the background: every 1,000 events or 30 s an AuditCheckpointSealed carries an RFC 6962
 * Merkle root over the new events' hashes, signed with Ed25519. The signing key lives outside the event store
 * (`AUDIT_KEY_DIR`, default `<data>/audit-keys`); auditors verify offline with `tools/audit` and the public key.
 * It runs only on the cluster's leader: instances of one cluster must share the key directory.
 */
@Injectable()
export class AuditSealerService implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('AuditSealer');
  private readonly sealer: Sealer | undefined;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    config: ConfigService,
    private readonly cluster: ClusterService,
  ) {
    const { dataDir } = config.getOrThrow<ApiConfig>('api');
    if (process.env['AUDIT_SEALER'] === 'off') return;
    const keyDir = process.env['AUDIT_KEY_DIR'] || join(dataDir, 'audit-keys');
    const everySeconds = Number(process.env['AUDIT_SEAL_EVERY_SECONDS'] || 30);
    if (!Number.isInteger(everySeconds) || everySeconds < 1 || everySeconds > 86_400) {
      throw new Error('invalid configuration: AUDIT_SEAL_EVERY_SECONDS must be a whole number of seconds from 1 to 86400');
    }
    this.sealer = new Sealer(store, new AuditKeyStore(keyDir), { everyEvents: 1_000, everySeconds, pollIntervalMs: 250, logger: this.logger });
  }

  onModuleInit(): void {
    const sealer = this.sealer;
    if (sealer === undefined) return;
    this.cluster.register({ name: 'audit-sealer', start: () => sealer.start(), stop: () => sealer.stop() });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.sealer?.stop();
  }
}
