import { Test } from '@nestjs/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppModule } from '../app.module';
import { ConfigError } from './api-config';

// main.ts validates before Nest starts; this shows the module graph refuses the same values on its own, so no path
// into the app (tests, tools) can boot with a bad configuration.
describe('api start-up with a bad configuration', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'smilepay-boot-'));
  const saved = { ...process.env };
  afterEach(() => (process.env = { ...saved }));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it.each([
    ['LOG_LEVEL', 'loud'],
    ['METRICS_TOKEN', 'short'],
    ['PORT', 'eighty'],
    ['DATABASE_URL', 'mysql://x'],
  ])('stops with an error naming %s', async (name, bad) => {
    Object.assign(process.env, { DATA_DIR: dataDir, [name]: bad });
    const boot = Test.createTestingModule({ imports: [AppModule] }).compile();
    await expect(boot).rejects.toThrow(ConfigError);
    await expect(boot).rejects.toThrow(new RegExp(`^invalid configuration: ${name} `));
  });
});
