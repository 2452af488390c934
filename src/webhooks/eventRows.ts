// Events, deliveries and attempts as the API shows them, read with plain SQL (the database writes them: triggers
// and the delivery loop; nothing else does).

export interface EventRow {
  id: string;
  seq: string;
  type: string;
  apiVersion: string;
  apiClientId: string | null;
  customerId: string;
  subscriptionId: string | null;
  data: { object: Record<string, unknown> };
  createdAt: Date;
}

export const EVENT_COLUMNS = `e.id, e.seq::text as seq, e.type, e.api_version as "apiVersion",
  e.api_client_id as "apiClientId", e.customer_id as "customerId", e.subscription_id as "subscriptionId",
  e.data, e.created_at as "createdAt"`;

export type DeliveryStatus = 'PENDING' | 'DELIVERED' | 'FAILED';

export interface DeliveryRow {
  id: string;
  eventId: string;
  endpointId: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: Date;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
  createdAt: Date;
}

export const DELIVERY_COLUMNS = `d.id, d.event_id as "eventId", d.endpoint_id as "endpointId", d.status,
  d.attempts, d.next_attempt_at as "nextAttemptAt", d.last_status_code as "lastStatusCode",
  d.last_error as "lastError", d.delivered_at as "deliveredAt", d.created_at as "createdAt"`;

export interface AttemptRow {
  deliveryId: string;
  attempt: number;
  attemptedAt: Date;
  statusCode: number | null;
  latencyMs: number;
  responseExcerpt: string | null;
  error: string | null;
}

export const ATTEMPT_COLUMNS = `a.delivery_id as "deliveryId", a.attempt, a.attempted_at as "attemptedAt",
  a.status_code as "statusCode", a.latency_ms as "latencyMs", a.response_excerpt as "responseExcerpt", a.error`;
