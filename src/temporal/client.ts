import { Client, Connection } from '@temporalio/client';
import type { Config } from '../config.js';

/**
 * A client whose connection is made on first use, so the API starts (and answers 503 on /readyz) while
 * Temporal is down, and recovers by itself when it comes back.
 */
export function createTemporalClient(temporal: Config['temporal']): Client {
  const connection = Connection.lazy({ address: temporal.address });
  return new Client({ connection, namespace: temporal.namespace });
}

export async function checkTemporal(client: Client, timeoutMs = 2000): Promise<void> {
  await client.connection.withDeadline(Date.now() + timeoutMs, () => client.workflowService.getSystemInfo({}));
}
