import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import type { ApiConfig } from './config/api-config';
import { jsonBody } from './http/json-body';
import { SmilepayIoAdapter } from './live/socket-io.adapter';

/** Builds the api application; main.ts and the tests share it so tests run exactly what production runs. */
export async function createApi(config: ApiConfig, options: { logger?: false } = {}): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bodyParser: false, ...options });
  app.use(jsonBody(config.maxBodyBytes));
  const io = new SmilepayIoAdapter(app, config.redisUrl);
  await io.connectToRedis();
  app.useWebSocketAdapter(io);
  app.enableShutdownHooks();
  return app;
}
