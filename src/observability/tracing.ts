// OpenTelemetry traces, off unless OTEL_EXPORTER_OTLP_ENDPOINT names a collector: then each process registers a
// tracer provider (W3C trace context, AsyncLocalStorage), spans go out in batches over OTLP/HTTP, and the Temporal
// SDK's interceptors carry the context from the API through workflows and activities (src/temporal/tracing.ts).
// Off, nothing is registered, the API's tracer is OpenTelemetry's no-op, and the HTTP server starts no span at all.
import { context, propagation, SpanKind, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

const TRACER = 'billing';

export interface Tracing {
  resource: Resource;
  /** The processor workflow spans go through too (the worker's sinks). */
  processor: SpanProcessor;
  shutdown(): Promise<void>;
}

let installed: Tracing | null = null;

export function tracingEnabled(): boolean {
  return installed !== null;
}

export function installedTracing(): Tracing | null {
  return installed;
}

/**
 * Registers the process's tracer provider. `exporter` is for tests (an in-memory exporter, spans handed over at
 * once); otherwise spans are batched to `${otlpEndpoint}/v1/traces`.
 */
export function installTracing(options: {
  serviceName: string;
  otlpEndpoint?: string;
  exporter?: SpanExporter;
}): Tracing {
  if (installed) return installed;
  const resource = new Resource({ 'service.name': options.serviceName });
  const processor = options.exporter
    ? new SimpleSpanProcessor(options.exporter)
    : new BatchSpanProcessor(
        new OTLPTraceExporter({ url: `${(options.otlpEndpoint ?? '').replace(/\/+$/, '')}/v1/traces` }),
      );
  const provider = new NodeTracerProvider({ resource, spanProcessors: [processor] });
  provider.register();
  installed = {
    resource,
    processor,
    shutdown: async () => {
      await provider.shutdown();
      installed = null;
    },
  };
  return installed;
}

/** From configuration: installs tracing when an endpoint is set; null (and nothing done) otherwise. */
export function tracingFromConfig(tracing: { otlpEndpoint: string | null }, serviceName: string): Tracing | null {
  return tracing.otlpEndpoint ? installTracing({ serviceName, otlpEndpoint: tracing.otlpEndpoint }) : null;
}

export function tracer() {
  return trace.getTracer(TRACER);
}

/**
 * Runs `call` in a client span named `name`, with the trace context injected into `headers` (so a provider that
 * speaks W3C trace context continues the trace). Without tracing it only calls.
 */
export async function inClientSpan<T>(
  name: string,
  attributes: Attributes,
  headers: Record<string, string>,
  call: (span: Span | null) => Promise<T>,
): Promise<T> {
  if (!installed) return call(null);
  return tracer().startActiveSpan(name, { kind: SpanKind.CLIENT, attributes }, async (span) => {
    propagation.inject(context.active(), headers);
    try {
      return await call(span);
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });
}
