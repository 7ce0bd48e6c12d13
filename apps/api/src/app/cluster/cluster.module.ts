import { Global, Module } from '@nestjs/common';
import { ClusterService } from './cluster.service';

/** Leader election for the once-per-cluster workers; global so any module can register a singleton worker. */
@Global()
@Module({ providers: [ClusterService], exports: [ClusterService] })
export class ClusterModule {}
