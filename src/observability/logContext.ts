// What every log line carries from where it was written: the HTTP request's id (src/observability/requestId.ts) and
// the active trace and span, so a line can be found from a trace and a trace from a line.
import { trace } from '@opentelemetry/api';
import { currentRequestId } from './requestId.js';

export function logContext(): Record<string, string> {
  const fields: Record<string, string> = {};
  const requestId = currentRequestId();
  if (requestId) fields.requestId = requestId;
  const span = trace.getActiveSpan()?.spanContext();
  if (span && span.traceId !== '00000000000000000000000000000000') {
    fields.traceId = span.traceId;
    fields.spanId = span.spanId;
  }
  return fields;
}
