// worker.ts as a real child process, so a test can SIGKILL it: no graceful drain, no finally blocks, sockets cut by
// the kernel, exactly what an OOM kill or a lost node does to a production worker.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../../src/paths.js';
import { compileEntries } from './compile.js';
import { TEST_DATABASE_URL } from './config.js';

const run = promisify(execFile);

export interface WorkerBuild {
  /** `<root>/dist/worker.js`: the same layout as the repository's own build, so `pgrep -f dist/worker.js` finds it. */
  entry: string;
  remove(): Promise<void>;
}

/**
 * Compiles worker.ts and the workflow bundle into a private directory (test/support/compile.ts); a bundle left in
 * the repository's own `dist/` by an older build would be loaded instead of the code under test.
 */
export async function buildWorker(): Promise<WorkerBuild> {
  // The workflows are loaded by path, not imported, so they are named here as the bundler needs them.
  const { root, remove } = await compileEntries('worker', [
    'worker.ts',
    'src/workflows/index.ts',
    'scripts/bundle-workflows.ts',
  ]);
  try {
    // src/paths.ts finds the root by its package.json, so the bundle lands in <root>/dist, where worker.ts looks.
    await run(process.execPath, [join(root, 'dist', 'scripts', 'bundle-workflows.js')], { cwd: root });
  } catch (error) {
    await remove();
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`building the worker failed:\n${stdout}${stderr}`, { cause: error });
  }
  return { entry: join(root, 'dist', 'worker.js'), remove };
}

const started = new Set<WorkerProcess>();

export class WorkerProcess {
  private log = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(private readonly child: ChildProcess) {
    child.stdout!.on('data', (chunk: Buffer) => void (this.log += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => void (this.log += chunk.toString()));
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  get pid(): number {
    return this.child.pid!;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  output(): string {
    return this.log;
  }

  /**
   * Starts `node dist/worker.js` with the test database and `settings` (Temporal address, task queue, providers),
   * and resolves once it polls its task queue.
   */
  static async start(build: WorkerBuild, settings: Record<string, string>, readyTimeoutMs = 30_000) {
    // Like test/support/config.ts: the shell's settings (a keyring, say) apply, the shell's DATABASE_URL does not.
    const { DATABASE_URL: _ignored, ...inherited } = process.env;
    const child = spawn(process.execPath, ['--enable-source-maps', build.entry], {
      cwd: projectRoot,
      // No metrics listener: its port is fixed, and tests run worker processes side by side.
      env: {
        ...inherited,
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        DATABASE_URL: TEST_DATABASE_URL,
        WORKER_METRICS_PORT: '0',
        ...settings,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const worker = new WorkerProcess(child);
    started.add(worker);
    void worker.exited.then(() => started.delete(worker));
    const deadline = Date.now() + readyTimeoutMs;
    while (!worker.log.includes('worker polling task queue')) {
      if (!worker.running || Date.now() > deadline) {
        await worker.kill('SIGKILL');
        throw new Error(`the worker process did not start:\n${worker.log}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return worker;
  }

  /** Sends `signal` and waits for the process to be gone. */
  async kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.running) this.child.kill(signal);
    return this.exited;
  }

  /** SIGTERM (the worker drains), then SIGKILL if it is still there after `graceMs`. */
  async stop(graceMs = 5_000): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

/** For afterAll: whatever a failed test left running. */
export async function killAllWorkers(): Promise<void> {
  await Promise.all([...started].map((worker) => worker.kill('SIGKILL')));
}
