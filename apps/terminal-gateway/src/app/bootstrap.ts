import type { INestApplication } from '@nestjs/common';
import { GATEWAY_CONFIG } from './config/config.module';
import type { GatewayConfig } from './config/gateway-config';
import { TerminalIoAdapter } from './terminal-socket/terminal-io.adapter';

/**
 * Everything main.ts and the tests must set up identically on a created app: the socket.io limits and shutdown
 * hooks. The app must be created with `{ bodyParser: false }`: BodyReaderMiddleware keeps the exact bytes the
 * signature covers.
 */
export function configureGatewayApp(app: INestApplication): GatewayConfig {
  const config = app.get<GatewayConfig>(GATEWAY_CONFIG);
  app.useWebSocketAdapter(new TerminalIoAdapter(app, config.maxSocketMessageBytes));
  app.enableShutdownHooks();
  return config;
}
