// The browser tests run against the built portal, as `npm start` serves it. It is built here when missing or older
// than its sources, once even when two test files ask at the same time (a lock directory).
import { execFile } from 'node:child_process';
import { mkdir, readdir, rmdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../../../src/paths.js';

const run = promisify(execFile);
const BUILT = join(projectRoot, 'dist', 'web', 'index.html');
const LOCK = join(projectRoot, 'dist', '.web-build.lock');

async function newestChange(path: string): Promise<number> {
  const info = await stat(path);
  if (!info.isDirectory()) return info.mtimeMs;
  const entries = await readdir(path);
  const times = await Promise.all(entries.map((entry) => newestChange(join(path, entry))));
  return Math.max(info.mtimeMs, ...times);
}

async function upToDate(): Promise<boolean> {
  const built = await stat(BUILT).catch(() => null);
  if (!built) return false;
  const sources = Math.max(
    await newestChange(join(projectRoot, 'web')),
    await newestChange(join(projectRoot, 'schema.graphql')),
  );
  return built.mtimeMs >= sources;
}

export async function ensureWebBuilt(): Promise<void> {
  await mkdir(join(projectRoot, 'dist'), { recursive: true });
  for (;;) {
    if (await upToDate()) return;
    try {
      await mkdir(LOCK);
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 500));
      continue;
    }
    try {
      if (await upToDate()) return;
      await run(
        process.execPath,
        [
          join(projectRoot, 'node_modules', 'vite', 'bin', 'vite.js'),
          'build',
          '--config',
          'web/vite.config.ts',
          '--logLevel',
          'warn',
        ],
        {
          cwd: projectRoot,
        },
      ).catch((error: { stdout?: string; stderr?: string }) => {
        throw new Error(`building the portal failed:\n${error.stdout ?? ''}${error.stderr ?? ''}`);
      });
      return;
    } finally {
      await rmdir(LOCK).catch(() => undefined);
    }
  }
}
