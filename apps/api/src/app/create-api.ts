import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger as PinoLogger } from 'nestjs-pino';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import type { ApiConfig } from './config/api-config';
import { jsonBody } from './http/json-body';
import { serveDashboard } from './http/serve-dashboard';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { SmilepayIoAdapter } from './live/socket-io.adapter';

/** Builds the api application; main.ts and the tests share it so tests run exactly what production runs. */
export async function createApi(config: ApiConfig, options: { logger?: false } = {}): Promise<INestApplication> {
  // Logs are buffered until the redacting JSON logger (LOG_LEVEL) takes over, so none escape unredacted.
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bodyParser: false, bufferLogs: true });
  app.useLogger(options.logger === false ? false : app.get(PinoLogger));
  app.use(jsonBody(config.maxBodyBytes));
  const io = new SmilepayIoAdapter(app, config.redisUrl);
  await io.connectToRedis();
  app.useWebSocketAdapter(io);
  serveDashboard(app, config.dashboardDir);
  const openApi = new DocumentBuilder()
    .setTitle('smilepay api')
    .setDescription('Event-sourced face payments: ledger, enrollment, checkout, claims, risk and audit. Money is a decimal string of minor units.')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, openApi));
  app.enableShutdownHooks();
  return app;
}
