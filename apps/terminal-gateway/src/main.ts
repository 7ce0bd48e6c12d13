import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger as PinoLogger } from 'nestjs-pino';
import { AppModule } from './app/app.module';
import { configureGatewayApp } from './app/bootstrap';

async function bootstrap(): Promise<void> {
  // Logs are buffered until the redacting JSON logger (LOG_LEVEL) is in place, so none escape unredacted.
  const app = await NestFactory.create(AppModule.register(process.env), { bodyParser: false, bufferLogs: true, abortOnError: false });
  app.useLogger(app.get(PinoLogger));
  const config = configureGatewayApp(app);
  await app.listen(config.port, config.host);
  Logger.log(`terminal gateway listening on ${await app.getUrl()} (socket.io namespace /terminal)`, 'Bootstrap');
}

bootstrap().catch((error: Error) => {
  // A configuration or model problem: print it plainly and exit non-zero so the supervisor sees the failure.
  console.error(error.message);
  process.exit(1);
});
