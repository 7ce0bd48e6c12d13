import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app/app.module';
import { parseApiConfig } from './app/config/api-config';

async function bootstrap(): Promise<void> {
  // Validate before Nest starts so a bad variable stops start-up with its name, not a stack of DI errors.
  const config = parseApiConfig(process.env);
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bodyParser: false });
  app.useBodyParser('json', { limit: config.maxBodyBytes });
  app.enableShutdownHooks();
  await app.listen(config.port, config.host);
  Logger.log(`api listening on http://${config.host}:${config.port}`, 'Bootstrap');
}

bootstrap().catch((error: unknown) => {
  // eslint-disable-next-line no-console
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
