import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { ApiMetrics } from './api-metrics';

const GATEWAY_STEP = /^\/internal\/v1\/checkouts\/[^/]+\/(liveness|face-probe|authorize)(?:\?|$)/;

/** Times the gateway's checkout calls from the first byte in to the last byte out, whatever the handler decides. */
@Injectable()
export class DecisionLatencyMiddleware implements NestMiddleware {
  constructor(private readonly metrics: ApiMetrics) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const step = GATEWAY_STEP.exec(req.originalUrl ?? req.url)?.[1];
    if (req.method === 'POST' && step) {
      const end = this.metrics.decisionLatency.startTimer({ step: step.replace('-', '_') });
      res.once('finish', () => end({ status: String(res.statusCode) }));
    }
    next();
  }
}
