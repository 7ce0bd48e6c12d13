import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Paths the api owns; everything else under GET is the dashboard's (deep links like /payments/:id). */
const API_PREFIXES = ['/v1', '/internal', '/health', '/metrics', '/docs', '/socket.io'];

/**
 * Serves the built Angular dashboard from the api's own origin, so the demo needs no second server and the dashboard's
 * socket and REST calls are same-origin. Unknown GETs fall back to index.html so client-side routes survive a reload.
 */
export function serveDashboard(app: NestExpressApplication, dashboardDir: string | undefined): void {
  const logger = new Logger('Dashboard');
  if (!dashboardDir) return;
  const index = join(dashboardDir, 'index.html');
  if (!existsSync(index)) {
    logger.warn(`no dashboard build at ${dashboardDir}; run \`npx nx build dashboard\``);
    return;
  }
  app.useStaticAssets(dashboardDir, { index: false, maxAge: '1h', fallthrough: true });
  app.use((request: Request, response: Response, next: NextFunction) => {
    const isApi = API_PREFIXES.some((prefix) => request.path === prefix || request.path.startsWith(prefix + '/'));
    if (request.method !== 'GET' || isApi || !request.accepts('html')) return next();
    response.setHeader('cache-control', 'no-cache');
    response.sendFile(index);
  });
  logger.log(`serving the dashboard from ${dashboardDir}`);
}
