import { Controller, Get } from '@nestjs/common';
import { FrameAnalyzer } from '../checkout/frame-analyzer.port';

/** Liveness for process supervisors; readiness once the analysis threads hold their models. */
@Controller('health')
export class HealthController {
  constructor(private readonly analyzer: FrameAnalyzer) {}

  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  // The analyzer is built (models loaded and checksummed) before Nest finishes booting, so reaching here means ready.
  @Get('ready')
  ready(): { status: 'ok'; analyzer: string } {
    return { status: 'ok', analyzer: this.analyzer.constructor.name };
  }
}
