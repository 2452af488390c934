import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../src/config.js';
import { workerTuning } from '../../src/temporal/worker.js';

describe('loadConfig', () => {
  it('gives working defaults for a fresh machine', () => {
    const config = loadConfig({});
    expect(config.database.url).toBe('postgres://postgres@127.0.0.1:5432/billing');
    expect(config.database.explicit).toBe(false);
    expect(config.temporal).toMatchObject({
      address: '127.0.0.1:7233',
      namespace: 'default',
      taskQueue: 'billing',
      explicit: false,
    });
    expect(config.http).toEqual({ host: '127.0.0.1', port: 4000, graphqlIde: true });
  });

  const productionKeys = `k1:${Buffer.alloc(32, 7).toString('base64')}`;

  it('turns the IDE off in production unless asked for', () => {
    const production = { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32), DATA_ENCRYPTION_KEYS: productionKeys };
    expect(loadConfig(production).http.graphqlIde).toBe(false);
    expect(loadConfig({ ...production, GRAPHQL_IDE: 'true' }).http.graphqlIde).toBe(true);
  });

  it('uses the local payment sandboxes outside production, and nothing unconfigured in production', () => {
    const development = loadConfig({ MPESA_SANDBOX_PORT: '4111' }).payments;
    expect(development.mpesa).toMatchObject({ baseUrl: 'http://127.0.0.1:4111', localSandbox: true });
    expect(development.mpesa?.callbackUrl).toMatch(/^http:\/\/localhost:4000\/webhooks\/mpesa\/.{16,}$/);
    expect(development.paypal).toMatchObject({ baseUrl: 'http://127.0.0.1:4020', localSandbox: true });

    const production = loadConfig({
      NODE_ENV: 'production',
      JWT_SECRET: 'x'.repeat(32),
      DATA_ENCRYPTION_KEYS: productionKeys,
      PUBLIC_URL: 'https://billing.example.com/',
      PAYPAL_CLIENT_ID: 'id',
      PAYPAL_CLIENT_SECRET: 'secret',
    }).payments;
    expect(production.mpesa).toBeNull();
    expect(production.paypal).toMatchObject({ baseUrl: 'https://api-m.sandbox.paypal.com', localSandbox: false });
    expect(production.publicUrl).toBe('https://billing.example.com');
    expect(production.keyring.map((key) => key.id)).toEqual(['k1']);
  });

  it("keeps eTIMS off unless turned on, then needs the seller's PIN, a start date and, in production, a real device", () => {
    expect(loadConfig({}).etims).toBeNull();
    const on = { ETIMS_ENABLED: 'true', SELLER_KRA_PIN: 'p051234567q', ETIMS_SUBMIT_FROM: '2027-01-01' };
    expect(loadConfig({ ...on, ETIMS_SANDBOX_PORT: '4333' }).etims).toMatchObject({
      url: 'http://127.0.0.1:4333',
      localSandbox: true,
      tin: 'P051234567Q',
      branchId: '00',
      submitFrom: new Date('2027-01-01T00:00:00Z'),
    });
    expect(() => loadConfig({ ETIMS_ENABLED: 'true', ETIMS_SUBMIT_FROM: '2027-01-01' })).toThrow(
      'SELLER_KRA_PIN is required when ETIMS_ENABLED is true',
    );
    expect(() => loadConfig({ ...on, ETIMS_SUBMIT_FROM: '' })).toThrow('ETIMS_SUBMIT_FROM is required');
    expect(() => loadConfig({ ...on, ETIMS_SUBMIT_FROM: '1/1/2027' })).toThrow(
      'ETIMS_SUBMIT_FROM="1/1/2027" is invalid: must be a date as YYYY-MM-DD',
    );
    const production = {
      ...on,
      NODE_ENV: 'production',
      JWT_SECRET: 'x'.repeat(32),
      DATA_ENCRYPTION_KEYS: productionKeys,
      PUBLIC_URL: 'https://billing.example.com/',
    };
    expect(() => loadConfig(production)).toThrow('ETIMS_URL is required when ETIMS_ENABLED is true');
    expect(() => loadConfig({ ...production, ETIMS_URL: 'https://etims.example.co.ke' })).toThrow(
      'ETIMS_CMC_KEY is required',
    );
    expect(
      loadConfig({ ...production, ETIMS_URL: 'https://etims.example.co.ke', ETIMS_CMC_KEY: 'kra-issued-key' }).etims,
    ).toMatchObject({ url: 'https://etims.example.co.ke', localSandbox: false, communicationKey: 'kra-issued-key' });
  });

  it("shortens the local M-Pesa sandbox's duplicate window while minute plans are on, so they can renew", () => {
    // Minute plans are on by default outside production: renewals come 60 s after the last charge.
    expect(loadConfig({}).sandboxes.mpesaDuplicateWindowSeconds).toBe(30);
    expect(loadConfig({ MINUTE_PLANS: 'true' }).sandboxes.mpesaDuplicateWindowSeconds).toBe(30);
    expect(loadConfig({ MINUTE_PLANS: 'false' }).sandboxes.mpesaDuplicateWindowSeconds).toBe(120);
    const explicit = { MINUTE_PLANS: 'true', MPESA_SANDBOX_DUPLICATE_WINDOW_SECONDS: '0' };
    expect(loadConfig(explicit).sandboxes.mpesaDuplicateWindowSeconds).toBe(0);
    expect(() => loadConfig({ MPESA_SANDBOX_DUPLICATE_WINDOW_SECONDS: '1.5' })).toThrow(
      'MPESA_SANDBOX_DUPLICATE_WINDOW_SECONDS="1.5" is invalid: must be a whole number of seconds, 0 or more',
    );
  });

  it('refuses payment settings that cannot work, naming them', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) })).toThrow(
      'DATA_ENCRYPTION_KEYS is required in production',
    );
    expect(() => loadConfig({ DATA_ENCRYPTION_KEYS: 'k1:c2hvcnQ=' })).toThrow(
      'DATA_ENCRYPTION_KEYS is invalid: key "k1" must be 32 bytes, base64-encoded',
    );
    expect(() => loadConfig({ MPESA_CONSUMER_KEY: 'key' })).toThrow(
      'MPESA_CONSUMER_KEY, MPESA_CONSUMER_SECRET and MPESA_PASSKEY must be set together',
    );
    expect(() => loadConfig({ PAYPAL_CLIENT_ID: 'id' })).toThrow('PAYPAL_CLIENT_ID and PAYPAL_CLIENT_SECRET');
    expect(() => loadConfig({ PAYMENT_RETRY_DAYS: '1,three' })).toThrow(/^PAYMENT_RETRY_DAYS="1,three" is invalid/);
  });

  it('serves metrics and traces as configured: worker listener on, API listener and tracing off by default', () => {
    expect(loadConfig({}).metrics).toEqual({ token: null, host: '127.0.0.1', port: 0, workerPort: 9464 });
    expect(loadConfig({}).tracing).toEqual({ otlpEndpoint: null });
    const set = loadConfig({
      METRICS_TOKEN: 'a-long-enough-metrics-token',
      METRICS_PORT: '9100',
      WORKER_METRICS_PORT: '0',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
    });
    expect(set.metrics).toMatchObject({ token: 'a-long-enough-metrics-token', port: 9100, workerPort: 0 });
    expect(set.tracing.otlpEndpoint).toBe('http://collector:4318');
  });

  it('tunes the worker as the billing run chose, and hands each setting to the SDK under its own name', () => {
    const { worker } = loadConfig({});
    expect(worker).toEqual({
      maxConcurrentActivities: 100,
      maxConcurrentWorkflowTasks: 40,
      maxCachedWorkflows: 500,
      stickyQueueTimeoutMs: 3000,
    });
    expect(workerTuning(loadConfig({ WORKER_STICKY_QUEUE_TIMEOUT_MS: '10000' }).worker)).toEqual({
      maxConcurrentActivityTaskExecutions: 100,
      maxConcurrentWorkflowTaskExecutions: 40,
      maxCachedWorkflows: 500,
      stickyQueueScheduleToStartTimeout: 10_000,
    });
    expect(() => loadConfig({ WORKER_STICKY_QUEUE_TIMEOUT_MS: '500' })).toThrow(
      /^WORKER_STICKY_QUEUE_TIMEOUT_MS="500" is invalid: must be at least 1000 \(1 second\)$/,
    );
  });

  it('requires a real JWT secret in production, and TLS files in pairs', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow('JWT_SECRET is required in production');
    expect(() => loadConfig({ JWT_SECRET: 'short' })).toThrow(
      /^JWT_SECRET="short" is invalid: must be at least 32 characters$/,
    );
    expect(() => loadConfig({ TLS_CERT_FILE: '/tmp/cert.pem' })).toThrow(
      'TLS_CERT_FILE and TLS_KEY_FILE must be set together',
    );
    expect(() => loadConfig({ ACCESS_TOKEN_TTL_SECONDS: '3600' })).toThrow(/must be at most 900/);
  });

  it.each([
    [{ PORT: 'abc' }, /^PORT="abc" is invalid: must be a port number from 1 to 65535$/],
    [{ PORT: '70000' }, /^PORT="70000" is invalid/],
    [{ DATABASE_URL: 'mysql://x@y/z' }, /^DATABASE_URL="mysql:\/\/x@y\/z" is invalid: must start with postgres/],
    [{ TEMPORAL_ADDRESS: 'localhost' }, /^TEMPORAL_ADDRESS="localhost" is invalid: must be host:port/],
    [{ NODE_ENV: 'staging' }, /^NODE_ENV="staging" is invalid/],
    [{ METRICS_TOKEN: 'short' }, /^METRICS_TOKEN="short" is invalid: must be at least 16 characters$/],
    [{ WORKER_METRICS_PORT: '70000' }, /^WORKER_METRICS_PORT="70000" is invalid: must be a port number or 0$/],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }, /^OTEL_EXPORTER_OTLP_ENDPOINT="collector:4318" is invalid/],
    [
      { DATABASE_URI: 'postgres://x@y/z' },
      /^DATABASE_URI is not a known setting \(known: DATABASE_URL, DATABASE_POOL_MAX\)/,
    ],
  ])('rejects %j with one line naming the variable', (env, message) => {
    let error: unknown;
    try {
      loadConfig(env);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });
});
