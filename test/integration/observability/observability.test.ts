// Logs, metrics and traces of one real charge: GraphQL `subscribe` with an M-Pesa phone -> the Temporal dev server
// -> the charge activity -> the Daraja sandbox over HTTP -> its callback -> a signal -> PAID. One stack for the file:
// the API (metrics protected as in production), a traced worker, the SDK's Prometheus exporter, and an in-memory span
// exporter; every assertion reads what that one charge left behind.
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { Orm } from '../../../src/db/orm.js';
import { Invoice, Payment } from '../../../src/entities/index.js';
import type { MpesaSandbox } from '../../../sandboxes/mpesa/server.js';
import { backlogRefresher } from '../../../src/observability/backlogMetrics.js';
import { processLoggerFor } from '../../../src/observability/logging.js';
import { collectProcessMetrics, readinessRefresher } from '../../../src/observability/metrics.js';
import { checkReadiness } from '../../../src/http/readiness.js';
import { checkPostgres } from '../../../src/db/health.js';
import {
  metricsHandler,
  ownListenerAccess,
  publicPortAccess,
  startMetricsServer,
} from '../../../src/observability/metricsEndpoint.js';
import { installTracing, type Tracing } from '../../../src/observability/tracing.js';
import { paymentServices } from '../../../src/payments/providers.js';
import { workerRuntimeOptions } from '../../../src/temporal/runtime.js';
import { clientTracingInterceptors, workerTracing } from '../../../src/temporal/tracing.js';
import { bundleWorkflows, createBillingWorker } from '../../../src/temporal/worker.js';
import { sdkMetricsAddress, sdkMetricsText } from '../../../src/temporal/workerMetrics.js';
// A port nobody listens on now: the SDK's exporter must be told one.
import { freePort } from '../../../bench/billingRunProcesses.js';
import { startApi, type RunningApi } from '../../support/api.js';
import { adminHeaders, type Headers } from '../../support/callers.js';
import { testConfig } from '../../support/config.js';
import { testOrm } from '../../support/db.js';
import { until } from '../../support/eventually.js';
import { aCustomer, aPlan } from '../../support/fixtures.js';
import { listeningMpesaSandbox } from '../../support/mpesaSandbox.js';
import { devServerEnvironment, installTestRuntime } from '../../support/temporal.js';

const SUBSCRIBE = /* GraphQL */ `
  mutation Subscribe($input: SubscribeInput!) {
    subscribe(input: $input) {
      id
      status
    }
  }
`;
const METRICS_TOKEN = 'metrics-token-for-the-observability-suite';

describe('observability of a real charge', () => {
  const lines: Record<string, unknown>[] = [];
  const spans = new InMemorySpanExporter();
  let tracing: Tracing;
  let orm: Orm;
  let env: TestWorkflowEnvironment;
  let sandbox: MpesaSandbox;
  let api: RunningApi;
  let worker: Worker;
  let workerRun: Promise<void>;
  let workerMetrics: Awaited<ReturnType<typeof startMetricsServer>>;
  let admin: Headers;
  const taskQueue = `observability-${randomUUID()}`;
  const requestId = `req-${randomUUID()}`;
  let subscriptionId: string;
  let invoiceId: string;
  let subscribeResponse: Response;

  beforeAll(async () => {
    const capture = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    const log = processLoggerFor(testConfig({ LOG_LEVEL: 'debug' }), 'api', capture);
    tracing = installTracing({ serviceName: 'billing-test', exporter: spans });
    collectProcessMetrics();
    // The SDK's exporter on the port after the worker's own, as worker.ts does.
    const workerPort = await freePort();
    installTestRuntime(workerRuntimeOptions(log, workerPort));

    orm = await testOrm();
    const local = await listeningMpesaSandbox({ callbackDelayMs: 50 });
    sandbox = local.sandbox;
    env = await devServerEnvironment();
    const settings = {
      ...local.settings,
      MPESA_CALLBACK_SECRET: 'observability-callback-secret-01',
      MPESA_CALLBACK_WAIT_SECONDS: '1',
    };
    const client = new Client({
      connection: env.connection,
      namespace: env.namespace ?? 'default',
      interceptors: clientTracingInterceptors(tracing),
    });
    api = await startApi(orm, {
      temporal: client,
      taskQueue,
      env: settings,
      metrics: {
        access: publicPortAccess({ nodeEnv: 'production', metrics: { token: METRICS_TOKEN } }),
        sources: {
          refresh: [
            backlogRefresher(orm.em),
            readinessRefresher(() => checkReadiness({ postgres: () => checkPostgres(orm) })),
          ],
        },
      },
    });
    const config = testConfig({ ...settings, PUBLIC_URL: api.url });
    worker = await createBillingWorker({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      taskQueue,
      em: orm.em,
      payments: paymentServices(config.payments),
      workflowBundle: await bundleWorkflows({ traced: true }),
      ...workerTracing(tracing),
    });
    workerRun = worker.run();
    workerMetrics = await startMetricsServer(
      '127.0.0.1',
      workerPort,
      metricsHandler(ownListenerAccess, { extra: () => sdkMetricsText(sdkMetricsAddress(workerPort)) }),
    );
    admin = await adminHeaders(api, orm);

    // The one charge: the customer answers the prompt at once.
    const [customer, plan] = await Promise.all([
      aCustomer(orm.em),
      aPlan(orm.em, { amount: 150_000, currency: 'KES', trialDays: 0 }),
    ]);
    subscribeResponse = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': requestId, ...admin },
      body: JSON.stringify({
        query: SUBSCRIBE,
        variables: {
          input: {
            customerId: customer.id,
            planId: plan.id,
            paymentMethod: { provider: 'MPESA', phone: '0712345678' },
          },
        },
      }),
    });
    const body = (await subscribeResponse.json()) as { data: { subscribe: { id: string } } };
    subscriptionId = body.data.subscribe.id;
    invoiceId = await until(async () => {
      const invoice = await orm.em.fork().findOne(Invoice, { subscription: subscriptionId });
      expect(invoice?.status).toBe('PAID');
      return invoice!.id;
    }, 30_000);
  }, 120_000);

  afterAll(async () => {
    worker?.shutdown();
    await workerRun;
    await workerMetrics?.close();
    await api?.stop();
    await env?.teardown();
    await sandbox?.close();
    await orm?.close();
    await tracing?.shutdown();
  });

  describe('logs', () => {
    it('echoes a well-formed X-Request-Id and puts it on the lines written while the request ran', async () => {
      expect(subscribeResponse.headers.get('x-request-id')).toBe(requestId);
      const ofRequest = lines.filter((line) => line.requestId === requestId);
      expect(ofRequest.length).toBeGreaterThan(0);
      expect(ofRequest.every((line) => line.process === 'api' && typeof line.time === 'string')).toBe(true);
      // Tracing is on: the same lines carry the trace they belong to.
      expect(ofRequest.some((line) => typeof line.traceId === 'string')).toBe(true);
    });

    it('makes a new id for a request that sends none or a malformed one', async () => {
      for (const sent of [undefined, 'short', 'spaces and {"json": "to forge a line"}']) {
        const response = await fetch(`${api.url}/healthz`, { headers: sent ? { 'x-request-id': sent } : {} });
        expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      }
    });

    it("routes the SDK's workflow and activity lines through it, with workflow id, run id and activity type", () => {
      const workflowId = `subscription-${subscriptionId}`;
      const activity = lines.find((line) => line.workflowId === workflowId && typeof line.activityType === 'string');
      expect(activity).toMatchObject({ source: 'temporal', workflowRunId: expect.any(String) });
      const workflow = lines.find((line) => line.workflowId === workflowId && typeof line.runId === 'string');
      expect(workflow).toMatchObject({ source: 'temporal', workflowType: 'subscriptionWorkflow' });
    });
  });

  describe('metrics', () => {
    it('refuses the API metrics without the token in production', async () => {
      expect((await fetch(`${api.url}/metrics`)).status).toBe(401);
      const wrong = await fetch(`${api.url}/metrics`, { headers: { authorization: 'Bearer not-the-metrics-token' } });
      expect(wrong.status).toBe(401);
    });

    it('shows the charge, its confirmation, the callback, GraphQL, HTTP, pools and backlogs with the token', async () => {
      // An error with a code, to be counted by it.
      await api.graphql('query { subscription(id: "00000000-0000-0000-0000-000000000000") { id } }', {}, admin);
      const response = await fetch(`${api.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
      const text = await response.text();
      const series = [
        /^billing_charges_total\{provider="MPESA",result="succeeded",code=""\} [1-9]/m,
        /^billing_charge_confirmation_seconds_count\{provider="MPESA"\} [1-9]/m,
        /^billing_provider_webhooks_total\{provider="MPESA",outcome="accepted"\} [1-9]/m,
        /^billing_graphql_operation_duration_seconds_count\{type="mutation",operation="subscribe"\} [1-9]/m,
        /^billing_graphql_errors_total\{code="[A-Z_]+"\} [1-9]/m,
        /^billing_http_request_duration_seconds_count\{method="POST",route="\/graphql",status="200"\} [1-9]/m,
        /^billing_http_request_duration_seconds_count\{method="POST",route="\/webhooks\/mpesa",status="200"\} [1-9]/m,
        /^billing_db_pool_connections\{pool="orm",state="total"\} \d/m,
        /^billing_db_pool_connections\{pool="entitlement",state="idle"\} \d/m,
        /^billing_outbox_pending \d/m,
        /^billing_outbox_oldest_pending_age_seconds \d/m,
        /^billing_event_deliveries_pending \d/m,
        /^billing_graphql_ws_connections \d/m,
        /^billing_readiness\{check="postgres"\} 1/m,
        /^billing_process_cpu_seconds_total \d/m,
        /^billing_nodejs_eventloop_lag_p99_seconds \d/m,
      ];
      expect(series.filter((pattern) => !pattern.test(text)).map(String)).toEqual([]);
    });

    it("serves the worker's metrics on its own port with the Temporal SDK's appended", async () => {
      const text = await (await fetch(`http://127.0.0.1:${workerMetrics.port}/metrics`)).text();
      expect(text).toMatch(/^billing_charges_total\{/m);
      expect(text).toMatch(/^temporal_workflow_completed|^temporal_activity_execution_latency|^temporal_request/m);
      expect(text).toMatch(/^temporal_activity_execution_latency/m);
    });
  });

  describe('traces', () => {
    const all = () => spans.getFinishedSpans();
    const named = (pattern: RegExp) => all().filter((span) => pattern.test(span.name));
    const traceOf = (span: ReadableSpan) => span.spanContext().traceId;

    // The workflow's own span (RunWorkflow) ends with the run, which outlives the test: its children are here.
    it('follows subscribe from the GraphQL request through the workflow to the charge activity and the provider call', async () => {
      const [request] = named(/^graphql mutation subscribe$/);
      expect(request).toBeDefined();
      const trace = all().filter((span) => traceOf(span) === traceOf(request!));
      const names = trace.map((span) => span.name);
      expect(names).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^StartWorkflow:subscriptionWorkflow$/),
          expect.stringMatching(/^StartActivity:issueAndChargePeriodInvoice$/),
          expect.stringMatching(/^RunActivity:issueAndChargePeriodInvoice$/),
          'mpesa POST /mpesa/stkpush/v1/processrequest',
        ]),
      );
      const providerCall = trace.find((span) => span.name === 'mpesa POST /mpesa/stkpush/v1/processrequest')!;
      expect(providerCall.attributes['http.response.status_code']).toBe(200);
    });

    it('traces the callback coming back in and the signal it sends the workflow', async () => {
      const payment = await orm.em.fork().findOneOrFail(Payment, { invoice: invoiceId, status: 'SUCCEEDED' });
      expect(payment).toBeDefined();
      const callbacks = named(/^POST \/webhooks\/mpesa$/);
      expect(callbacks.length).toBeGreaterThan(0);
      const signals = named(/^SignalWorkflow:/);
      expect(signals.length).toBeGreaterThan(0);
      const callbackTraces = new Set(callbacks.map(traceOf));
      expect(signals.some((span) => callbackTraces.has(traceOf(span)))).toBe(true);
    });
  });
});
