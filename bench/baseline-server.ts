// The floor the entitlement benchmark compares the API with: bare node:http and a pg.Pool of 10 answering the
// same question with the same SQL as src/billing/entitlement.ts (imported, so it cannot drift), and nothing
// else: no Express, GraphQL, ORM, rate limiter or key lookup (the API key is compared with the one known key).
// Run as a child process by bench/entitlement.ts, which sets BASELINE_PORT, BASELINE_HOST, DATABASE_URL,
// BENCH_API_KEY and BENCH_API_CLIENT_ID.
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import pg from 'pg';
import { ENTITLEMENT_SQL } from '../src/billing/entitlement.js';

const PAST_DUE_GRACE_MS = 7 * 86_400_000;

/** As the API's statement returns it: a customer without a subscription to the product has these columns null. */
interface Row {
  customer_id: string;
  subscription_id: string | null;
  status: string;
  period_start_ms: number | null;
  period_end_ms: number | null;
  trial_end_ms: number | null;
  plan_id: string;
  plan_name: string;
  features: string[];
  limits: Record<string, number>;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    console.error(`baseline server: ${name} is required`);
    process.exit(78);
  }
  return value;
}

const port = Number(required('BASELINE_PORT'));
const host = process.env.BASELINE_HOST ?? '127.0.0.1';
const apiKey = Buffer.from(required('BENCH_API_KEY'));
const apiClientId = required('BENCH_API_CLIENT_ID');
const pool = new pg.Pool({ connectionString: required('DATABASE_URL'), max: 10 });

function keyMatches(header: string | string[] | undefined): boolean {
  if (typeof header !== 'string') return false;
  const given = Buffer.from(header);
  return given.length === apiKey.length && timingSafeEqual(given, apiKey);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function answer(row: Row | undefined) {
  if (!row || row.subscription_id === null) {
    return {
      granted: false,
      status: null,
      subscriptionId: null,
      planId: null,
      planName: null,
      periodEnd: null,
      features: [],
      limits: {},
    };
  }
  const now = Date.now();
  const granted =
    row.status === 'ACTIVE' ||
    row.status === 'TRIALING' ||
    (row.status === 'PAST_DUE' && row.period_start_ms !== null && now < row.period_start_ms + PAST_DUE_GRACE_MS);
  const periodEnd = row.period_end_ms ?? row.trial_end_ms;
  return {
    granted,
    status: row.status,
    subscriptionId: row.subscription_id,
    planId: row.plan_id,
    planName: row.plan_name,
    periodEnd: periodEnd === null ? null : new Date(periodEnd).toISOString(),
    features: granted ? row.features : [],
    limits: granted ? row.limits : {},
  };
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method === 'GET' && req.url === '/healthz') return send(res, 200, { status: 'ok' });
  if (req.method !== 'POST') return send(res, 405, { errors: [{ message: 'POST only' }] });
  if (!keyMatches(req.headers['x-api-key'])) return send(res, 401, { errors: [{ message: 'bad API key' }] });
  let variables: { customerExternalId?: unknown; product?: unknown } | undefined;
  try {
    variables = (JSON.parse(await readBody(req)) as { variables?: typeof variables }).variables;
  } catch {
    return send(res, 400, { errors: [{ message: 'the body must be JSON' }] });
  }
  const { customerExternalId, product } = variables ?? {};
  if (typeof customerExternalId !== 'string' || typeof product !== 'string')
    return send(res, 400, { errors: [{ message: 'variables customerExternalId and product are required' }] });
  // A named prepared statement, as the API uses: planned once per connection.
  const { rows } = await pool.query<Row>({
    name: 'entitlement',
    text: ENTITLEMENT_SQL,
    values: [apiClientId, customerExternalId, product],
  });
  send(res, 200, { data: { entitlement: answer(rows[0]) } });
}

const server = createServer((req, res) => {
  handle(req, res).catch((error: unknown) => {
    console.error(`baseline server: ${String(error)}`);
    if (!res.headersSent) send(res, 500, { errors: [{ message: 'internal error' }] });
  });
});

server.listen(port, host, () => console.log(`baseline server ready at http://${host}:${port}`));

const stop = () => {
  server.close();
  server.closeAllConnections();
  pool.end().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
