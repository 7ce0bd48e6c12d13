import { Module } from '@nestjs/common';
import { AuditSealerService } from './audit-sealer.service';

@Module({ providers: [AuditSealerService] })
export class AuditModule {}
