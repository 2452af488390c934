// Child processes of `npm start`: output streamed line by line behind a coloured prefix, and an orderly stop.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createInterface } from 'node:readline';

const COLOURS = [36, 35, 33, 32, 34, 31];
let nextColour = 0;

export function prefixer(name: string): (line: string) => void {
  const colour = COLOURS[nextColour++ % COLOURS.length];
  const tag = process.stdout.isTTY ? `\x1b[${colour}m[${name}]\x1b[0m` : `[${name}]`;
  return (line: string) => {
    if (line.trim()) process.stdout.write(`${tag} ${line}\n`);
  };
}

export interface Child {
  name: string;
  process: ChildProcess;
  exited: Promise<number | null>;
  stop(graceMs: number): Promise<void>;
}

export function startChild(name: string, command: string, args: string[], options: SpawnOptions = {}): Child {
  const log = prefixer(name);
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on('line', log);
  }
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : null)));
    child.once('error', (error) => {
      log(`failed to start ${command}: ${error.message}`);
      resolve(127);
    });
  });
  return {
    name,
    process: child,
    exited,
    async stop(graceMs) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => {
        log(`still running after ${graceMs} ms: killing`);
        child.kill('SIGKILL');
      }, graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
