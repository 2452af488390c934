// Tracing by configuration: off without OTEL_EXPORTER_OTLP_ENDPOINT (nothing registered, calls run bare), and on
// with it, spans reach a real OTLP/HTTP receiver with the service's name and the W3C context is sent on.
import { createServer, type IncomingMessage } from 'node:http';
import { afterAll, describe, expect, it } from '@jest/globals';
import { trace } from '@opentelemetry/api';
import { loadConfig } from '../../../src/config.js';
import { inClientSpan, tracingEnabled, tracingFromConfig } from '../../../src/observability/tracing.js';

interface Received {
  path: string;
  contentType: string;
  body: string;
}

describe('tracing', () => {
  const received: Received[] = [];
  const collector = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({
        path: req.url ?? '',
        contentType: String(req.headers['content-type']),
        body: Buffer.concat(chunks).toString('utf8'),
      });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  afterAll(() => new Promise<void>((resolve) => collector.close(() => resolve())));

  it('is off by default: no tracer provider, no span, the call runs as it is', async () => {
    const config = loadConfig({ NODE_ENV: 'test' });
    expect(config.tracing.otlpEndpoint).toBeNull();
    expect(tracingFromConfig(config.tracing, 'billing-api')).toBeNull();
    expect(tracingEnabled()).toBe(false);
    const headers: Record<string, string> = {};
    const answer = await inClientSpan('mpesa POST /x', {}, headers, async (span) => {
      expect(span).toBeNull();
      expect(trace.getActiveSpan()).toBeUndefined();
      return 42;
    });
    expect(answer).toBe(42);
    expect(headers).toEqual({});
  });

  it('with an OTLP endpoint, exports spans to it and sends the trace context to the provider', async () => {
    const port = await new Promise<number>((resolve) =>
      collector.listen(0, '127.0.0.1', () => resolve((collector.address() as { port: number }).port)),
    );
    const config = loadConfig({ NODE_ENV: 'test', OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}/` });
    const tracing = tracingFromConfig(config.tracing, 'billing-worker')!;
    expect(tracingEnabled()).toBe(true);
    const headers: Record<string, string> = {};
    let traceId = '';
    await inClientSpan('paypal POST /v2/checkout/orders', { 'payment.provider': 'PAYPAL' }, headers, async (span) => {
      traceId = span!.spanContext().traceId;
    });
    expect(headers.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    await tracing.shutdown(); // flushes the batch
    expect(received.map((request) => request.path)).toContain('/v1/traces');
    const exported = received.find((request) => request.path === '/v1/traces')!;
    expect(exported.contentType).toMatch(/^application\/json/);
    expect(exported.body).toContain('billing-worker');
    expect(exported.body).toContain('paypal POST /v2/checkout/orders');
    expect(exported.body).toContain(traceId);
  });
});
