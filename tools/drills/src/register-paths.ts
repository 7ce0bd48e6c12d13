import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { register } from 'tsconfig-paths';

/**
 * When the CLI runs from source (`npx ts-node -r tsconfig-paths/register tools/audit/src/main.ts`), tsconfig-paths
 * looks for a tsconfig.json in the working directory, and the workspace keeps its aliases in tsconfig.base.json.
 * Registering them here makes the command work from any directory, whatever the runner found.
 */
function registerWorkspacePaths(): void {
  // Registering again when a runner already did is harmless: both map the same aliases to the same files.
  const root = resolve(__dirname, '../../..');
  const base = JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8')) as { compilerOptions: { paths: Record<string, string[]> } };
  register({ baseUrl: root, paths: base.compilerOptions.paths });
}

registerWorkspacePaths();
