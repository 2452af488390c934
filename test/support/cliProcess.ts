// The `billing` command line as a real child process, compiled from src/cli/main.ts like `npm run build` does.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { compileEntries, type PrivateBuild } from './compile.js';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliBuild extends PrivateBuild {
  entry: string;
}

export async function buildCli(): Promise<CliBuild> {
  const build = await compileEntries('cli', ['src/cli/main.ts']);
  return { ...build, entry: join(build.root, 'dist', 'src', 'cli', 'main.js') };
}

/** Starts the CLI; `env` is all of its environment besides PATH and HOME (nothing of the shell's BILLING_*). */
export function spawnCli(
  build: CliBuild,
  args: string[],
  env: Record<string, string> = {},
  input?: string,
): ChildProcess {
  const child = spawn(process.execPath, [build.entry, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  if (input !== undefined) child.stdin!.end(input);
  return child;
}

/** Runs the CLI to its end; `input` is what it reads on stdin (a password for `billing login`). */
export function runCli(
  build: CliBuild,
  args: string[],
  env: Record<string, string> = {},
  input?: string,
): Promise<CliRun> {
  const child = spawnCli(build, args, env, input);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => void (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
