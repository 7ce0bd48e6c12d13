import { ConfigError, parseApiConfig } from './api-config';

describe('parseApiConfig', () => {
  it('defaults to the embedded stores under ./data', () => {
    const config = parseApiConfig({}, '/srv/smilepay');
    expect(config).toMatchObject({ port: 3000, dataDir: '/srv/smilepay/data', eventstoreUrl: undefined, databaseUrl: undefined });
  });

  it('names the variable when a value is bad', () => {
    expect(() => parseApiConfig({ PORT: 'eighty' })).toThrow(new ConfigError('PORT', 'must be a whole number, got "eighty"'));
    expect(() => parseApiConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL must start with postgres:\/\//);
    expect(() => parseApiConfig({ INTERNAL_API_TOKEN: 'short' })).toThrow(/INTERNAL_API_TOKEN/);
  });

  it('selects KurrentDB and PostgreSQL by URL', () => {
    const config = parseApiConfig({ EVENTSTORE_URL: 'kurrentdb://localhost:2113?tls=false', DATABASE_URL: 'postgres://root@127.0.0.1/test' });
    expect(config.eventstoreUrl).toContain('kurrentdb://');
    expect(config.databaseUrl).toContain('postgres://');
  });
});
