import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { AuditQueryService } from './audit-query.service';
import { AuditSealerService } from './audit-sealer.service';

@Module({ controllers: [AuditController], providers: [AuditSealerService, AuditQueryService] })
export class AuditModule {}
