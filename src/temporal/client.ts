import { Client, Connection } from '@temporalio/client';
import type { Config } from '../config.js';
import type { Tracing } from '../observability/tracing.js';
import { clientTracingInterceptors } from './tracing.js';

/**
 * A client whose connection is made on first use, so the API starts (and answers 503 on /readyz) while
 * Temporal is down, and recovers by itself when it comes back.
 */
export function createTemporalClient(temporal: Config['temporal'], tracing: Tracing | null = null): Client {
  const connection = Connection.lazy({ address: temporal.address });
  return new Client({ connection, namespace: temporal.namespace, interceptors: clientTracingInterceptors(tracing) });
}

export interface TemporalProbe {
  check(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Readiness asks Temporal once per probe on a connection of its own without the client's retry interceptor:
 * a probe should report what it sees now, and retries would outlive the probe and fire on a closed channel.
 */
export function createTemporalProbe(temporal: Config['temporal']): TemporalProbe {
  const connection = Connection.lazy({ address: temporal.address, interceptors: [] });
  return {
    async check(timeoutMs = 2000) {
      await connection.withDeadline(Date.now() + timeoutMs, () => connection.workflowService.getSystemInfo({}));
    },
    close: () => connection.close(),
  };
}
