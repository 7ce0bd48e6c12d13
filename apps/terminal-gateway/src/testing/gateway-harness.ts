import type { INestApplication, LoggerService } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AppModule } from '../app/app.module';
import { configureGatewayApp } from '../app/bootstrap';
import type { Env } from '../app/config/gateway-config';
import { ApiRecorder } from './api-recorder';

export interface TestTerminal {
  keyId: string;
  terminalId: string;
  merchantId: string;
  secret: string;
}

export const internalToken = 'internal-api-token-for-tests-0123456789';

export function testTerminals(count: number): TestTerminal[] {
  return Array.from({ length: count }, (_, i) => ({
    keyId: `key-t${i + 1}`,
    terminalId: `t${i + 1}`,
    merchantId: 'merchant-1',
    secret: `terminal-${i + 1}-secret-0123456789abcdef-0123456789`,
  }));
}

/** Collects every log line, so tests can assert what is (and is not) logged. */
export class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];
  log(message: unknown, context?: string) {
    this.lines.push(`LOG [${context}] ${String(message)}`);
  }
  warn(message: unknown, context?: string) {
    this.lines.push(`WARN [${context}] ${String(message)}`);
  }
  error(message: unknown, ...rest: unknown[]) {
    this.lines.push(`ERROR ${String(message)} ${rest.map(String).join(' ')}`);
  }
  debug() {
    return undefined;
  }
  verbose() {
    return undefined;
  }
}

export interface Harness {
  app: INestApplication;
  url: string;
  recorder: ApiRecorder;
  terminals: TestTerminal[];
  logger: CapturingLogger;
  close(): Promise<void>;
}

/**
 * The real gateway (AppModule, real models) listening on a random port, talking to a recording api listener.
 * `env` overrides any setting, e.g. a short SESSION_DURATION_MS.
 */
export async function startGateway(env: Env = {}, terminalCount = 4): Promise<Harness> {
  const recorder = new ApiRecorder(internalToken);
  const apiUrl = await recorder.start();
  const terminals = testTerminals(terminalCount);
  const moduleRef = await Test.createTestingModule({
    imports: [
      AppModule.register({
        TERMINAL_KEYS: JSON.stringify(terminals),
        API_URL: apiUrl,
        INTERNAL_API_TOKEN: internalToken,
        API_TIMEOUT_MS: '1000',
        API_RETRY_BASE_DELAY_MS: '20',
        // In-process tests run the TypeScript sources, so frames are analysed on the main thread (see the e2e test
        // for the built gateway with its analysis threads).
        ANALYSIS_WORKERS: '0',
        // Request logs go to stdout through pino; tests read Nest's log lines from the CapturingLogger instead.
        LOG_LEVEL: 'silent',
        ...env,
      }),
    ],
  }).compile();
  const logger = new CapturingLogger();
  const app = moduleRef.createNestApplication({ bodyParser: false, logger });
  configureGatewayApp(app);
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return {
    app,
    url,
    recorder,
    terminals,
    logger,
    close: async () => {
      await app.close();
      await recorder.stop();
    },
  };
}
