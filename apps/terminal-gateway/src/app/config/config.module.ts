import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule, ConfigService, registerAs } from '@nestjs/config';
import { Env, loadGatewayConfig } from './gateway-config';

export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');
export const gatewayConfigNamespace = 'terminalGateway';

/**
 * One registerAs namespace for the gateway. The environment is passed in (main.ts passes process.env, tests pass
 * their own), and it is validated while the module initialises: a bad value stops startup with every problem listed.
 */
@Global()
@Module({})
export class GatewayConfigModule {
  static register(env: Env): DynamicModule {
    return {
      module: GatewayConfigModule,
      imports: [
        ConfigModule.forRoot({
          ignoreEnvFile: true,
          load: [registerAs(gatewayConfigNamespace, () => loadGatewayConfig(env))],
        }),
      ],
      providers: [
        {
          provide: GATEWAY_CONFIG,
          inject: [ConfigService],
          useFactory: (config: ConfigService) => config.getOrThrow(gatewayConfigNamespace),
        },
      ],
      exports: [GATEWAY_CONFIG],
    };
  }
}
