import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app/app.module';
import { configureGatewayApp } from './app/bootstrap';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule.register(process.env), { bodyParser: false, bufferLogs: false });
  const config = configureGatewayApp(app);
  await app.listen(config.port, config.host);
  Logger.log(`terminal gateway listening on ${await app.getUrl()} (socket.io namespace /terminal)`, 'Bootstrap');
}

bootstrap().catch((error: Error) => {
  // A configuration or model problem: print it plainly and exit non-zero so the supervisor sees the failure.
  console.error(error.message);
  process.exit(1);
});
