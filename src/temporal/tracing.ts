// The Temporal SDK's OpenTelemetry interceptors, used only while tracing is on (src/observability/tracing.ts): the
// client's puts the caller's trace context in the headers of workflow starts, signals and Updates; the workflow's
// (in a bundle of their own, so a worker without tracing runs none of their code) continue it in workflow spans,
// which leave the sandbox through a sink; the activity's continue it around each activity, where the provider HTTP
// calls open their spans.
import { createRequire } from 'node:module';
import type { ClientInterceptors } from '@temporalio/client';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import type { WorkerOptions } from '@temporalio/worker';
import type { Tracing } from '../observability/tracing.js';

/** The workflow interceptors module webpack puts in the traced bundle. */
export const workflowTracingModule = createRequire(import.meta.url).resolve(
  '@temporalio/interceptors-opentelemetry/lib/workflow-interceptors',
);

export function clientTracingInterceptors(tracing: Tracing | null): ClientInterceptors | undefined {
  return tracing ? { workflow: [new OpenTelemetryWorkflowClientInterceptor()] } : undefined;
}

/** The worker's activity interceptors and the sink that exports workflow spans. */
export function workerTracing(tracing: Tracing): {
  interceptors: NonNullable<WorkerOptions['interceptors']>;
  sinks: NonNullable<WorkerOptions['sinks']>;
} {
  return {
    interceptors: {
      activity: [
        (ctx) => ({
          inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
          outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
        }),
      ],
    },
    sinks: { exporter: makeWorkflowExporter(tracing.processor, tracing.resource) },
  };
}
