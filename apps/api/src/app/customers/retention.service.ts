import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { EnrollmentService } from '@smilepay/enrollment/application';
import { ClusterService } from '../cluster/cluster.service';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Purges biometric templates unused for the retention term (BIOMETRIC_RETENTION_DAYS): shortly after boot, then
 * daily, on the cluster's leader only. The purge is idempotent and resumable, so a deposed leader finishing a run
 * while the new one starts only repeats work.
 */
@Injectable()
export class RetentionService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Retention');
  private firstRun: NodeJS.Timeout | undefined;
  private daily: NodeJS.Timeout | undefined;

  constructor(
    private readonly enrollment: EnrollmentService,
    private readonly cluster: ClusterService,
  ) {}

  onModuleInit(): void {
    if (process.env['RETENTION_JOB'] === 'off') return;
    this.cluster.register({ name: 'retention-purge', start: () => this.schedule(), stop: async () => this.unschedule() });
  }

  onApplicationShutdown(): void {
    this.unschedule();
  }

  get scheduled(): boolean {
    return this.daily !== undefined;
  }

  private schedule(): void {
    if (this.daily !== undefined) return;
    // Timers are unref'd: a pending purge never keeps the process alive on shutdown.
    this.firstRun = setTimeout(() => void this.purge(), 60_000).unref();
    this.daily = setInterval(() => void this.purge(), DAY_MS).unref();
  }

  private unschedule(): void {
    clearTimeout(this.firstRun);
    clearInterval(this.daily);
    this.firstRun = undefined;
    this.daily = undefined;
  }

  async purge(now = new Date()): Promise<void> {
    try {
      const report = await this.enrollment.purgeStaleTemplates({ now }, { correlationId: `retention-${now.toISOString()}`, actor: 'system:retention' });
      const more = report.truncated ? '; more remain for the next run' : '';
      this.logger.log(`retention purge: ${report.purgedTemplateRefs.length} templates unused since ${report.cutoff.toISOString()} purged${more}`);
    } catch (error) {
      this.logger.error(`retention purge failed; next attempt in 24 h: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
