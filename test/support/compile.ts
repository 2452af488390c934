// Compiles a few entry points of the repository into a private directory laid out like the repository
// (`package.json`, `node_modules`, `dist/`), for tests that run them as real child processes. The repository's own
// `dist/` is left alone: another process (a developer's `npm start`) may be running from it. Only the entries'
// import graph is emitted, without type checking (that is `npm run typecheck`'s job): the same JavaScript, faster.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../../src/paths.js';

const run = promisify(execFile);

export interface PrivateBuild {
  root: string;
  remove(): Promise<void>;
}

/** `files` relative to the repository; the emitted JavaScript lands at `<root>/dist/<file>.js`. */
export async function compileEntries(tag: string, files: string[]): Promise<PrivateBuild> {
  const root = await mkdtemp(join(tmpdir(), `billing-${tag}-build-`));
  const remove = () => rm(root, { recursive: true, force: true });
  await writeFile(join(root, 'package.json'), JSON.stringify({ type: 'module', private: true }));
  await symlink(join(projectRoot, 'node_modules'), join(root, 'node_modules'), 'dir');
  const tsconfig = join(root, 'tsconfig.json');
  await writeFile(
    tsconfig,
    JSON.stringify({
      extends: join(projectRoot, 'tsconfig.build.json'),
      compilerOptions: {
        rootDir: projectRoot,
        outDir: join(root, 'dist'),
        typeRoots: [join(projectRoot, 'node_modules', '@types')],
        noCheck: true,
      },
      files: files.map((file) => join(projectRoot, file)),
      include: [],
    }),
  );
  try {
    await run(process.execPath, [join(projectRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', tsconfig]);
  } catch (error) {
    await remove();
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`building ${files.join(', ')} failed:\n${stdout}${stderr}`, { cause: error });
  }
  return { root, remove };
}
