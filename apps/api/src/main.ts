import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApi } from './app/create-api';
import { parseApiConfig } from './app/config/api-config';

async function bootstrap(): Promise<void> {
  // Validate before Nest starts so a bad variable stops start-up with its name, not a stack of DI errors.
  const config = parseApiConfig(process.env);
  const app = await createApi(config);
  await app.listen(config.port, config.host);
  Logger.log(`api listening on http://${config.host}:${config.port}`, 'Bootstrap');
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
