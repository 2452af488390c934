// Makes sure a Temporal frontend answers: the configured one, else a Temporal dev server (with the Web UI)
// that keeps its state in a SQLite file under DATA_DIR. The project's search attributes are registered
// either way, on a new or an existing database file.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import type { Config } from '../../src/config.js';
import { temporalCliPath } from '../../src/temporal/binaries.js';
import { registerSearchAttributes } from '../../src/temporal/searchAttributes.js';
import { startChild, type Child } from './children.js';
import { assertPortFree } from './ports.js';

export interface TemporalHandle {
  address: string;
  uiUrl: string | null;
  child: Child | null;
}

async function connect(address: string, timeoutMs: number): Promise<Connection> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: 2000 });
      await connection.workflowService.getSystemInfo({});
      return connection;
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }
  throw new Error(`Temporal at ${address} did not answer within ${timeoutMs / 1000} s (${String(lastError)})`);
}

async function prepare(address: string, namespace: string, timeoutMs: number): Promise<string[]> {
  const connection = await connect(address, timeoutMs);
  try {
    return await registerSearchAttributes(connection, namespace);
  } finally {
    await connection.close();
  }
}

export async function ensureTemporal(config: Config, log: (line: string) => void): Promise<TemporalHandle> {
  const { temporal } = config;
  if (temporal.explicit) {
    try {
      const added = await prepare(temporal.address, temporal.namespace, 5000);
      if (added.length) log(`registered search attributes ${added.join(', ')}`);
    } catch (error) {
      throw new Error(
        `${(error as Error).message}. Start Temporal there, fix TEMPORAL_ADDRESS, or unset it to let \`npm start\` run the dev server.`,
        { cause: error },
      );
    }
    return { address: temporal.address, uiUrl: null, child: null };
  }

  const [host = '127.0.0.1', portText = '7233'] = temporal.address.split(':');
  const port = Number(portText);
  const hint = 'Stop what uses it (another Temporal dev server?), or set TEMPORAL_ADDRESS to use that server.';
  await assertPortFree(host, port, 'Temporal frontend', hint);
  await assertPortFree(host, temporal.uiPort, 'Temporal Web UI', 'Set TEMPORAL_UI_PORT to a free port.');

  const cli = temporalCliPath(temporal.cliPath, config.searchPath);
  mkdirSync(config.dataDir, { recursive: true });
  const child = startChild(
    'temporal',
    cli,
    [
      'server',
      'start-dev',
      '--db-filename',
      join(config.dataDir, 'temporal.sqlite'),
      '--ip',
      host,
      '--port',
      String(port),
      '--ui-port',
      String(temporal.uiPort),
      // `default` always exists; any other namespace is created on first start.
      ...(temporal.namespace === 'default' ? [] : ['--namespace', temporal.namespace]),
      '--log-level',
      'warn',
    ],
    // Its own process group: Ctrl-C reaches `npm start`, which stops the worker before Temporal.
    { detached: true },
  );
  try {
    const added = await Promise.race([
      prepare(temporal.address, temporal.namespace, 60_000),
      child.exited.then((code) => {
        throw new Error(`the Temporal dev server exited with code ${code} before it was ready`);
      }),
    ]);
    if (added.length) log(`registered search attributes ${added.join(', ')}`);
  } catch (error) {
    await child.stop(5000);
    throw error;
  }
  return { address: temporal.address, uiUrl: `http://${host}:${temporal.uiPort}`, child };
}
