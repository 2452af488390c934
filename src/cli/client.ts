// The CLI talks to the public GraphQL API only, never to the database: what it can do, an app with the same key can.
import { CliError, EXIT } from './errors.js';

export interface Credentials {
  apiUrl: string;
  apiKey?: string;
  accessToken?: string;
}

interface GraphQLError {
  message: string;
  path?: (string | number)[];
  extensions?: Record<string, unknown>;
}

export interface GraphQLAnswer<T> {
  data?: T | null;
  errors?: GraphQLError[];
}

const AUTH_CODES = new Set(['UNAUTHENTICATED', 'FORBIDDEN']);
/** Rate limited (429) or briefly unavailable: wait this long at most between tries. */
const MAX_RETRY_WAIT_MS = 10_000;
const RETRIES = 5;

export class GraphQLClient {
  constructor(private readonly credentials: Credentials) {}

  /** The whole answer, errors included, for callers that handle errors per field (the import's batches). */
  async raw<T>(query: string, variables: Record<string, unknown> = {}): Promise<GraphQLAnswer<T>> {
    const url = new URL('/graphql', this.credentials.apiUrl).toString();
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.credentials.apiKey) headers['x-api-key'] = this.credentials.apiKey;
    if (this.credentials.accessToken) headers.authorization = `Bearer ${this.credentials.accessToken}`;
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
      } catch (error) {
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        throw new CliError(
          `cannot reach the API at ${this.credentials.apiUrl}: ${cause?.code ?? cause?.message ?? String(error)}`,
          EXIT.UNREACHABLE,
        );
      }
      if ((response.status === 429 || response.status === 503) && attempt < RETRIES) {
        const seconds = Number(response.headers.get('retry-after') ?? '1');
        await sleep(Math.min(MAX_RETRY_WAIT_MS, Math.max(200, seconds * 1000)));
        continue;
      }
      const text = await response.text();
      try {
        return JSON.parse(text) as GraphQLAnswer<T>;
      } catch {
        throw new CliError(
          `the API at ${this.credentials.apiUrl} answered HTTP ${response.status} without GraphQL: is it the billing API?`,
          EXIT.UNREACHABLE,
        );
      }
    }
  }

  /** The data, or a CliError naming the first error (with the field the API blamed, when it said). */
  async request<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const answer = await this.raw<T>(query, variables);
    const first = answer.errors?.[0];
    if (first || !answer.data) throw errorFrom(first);
    return answer.data;
  }
}

export function errorFrom(error: GraphQLError | undefined): CliError {
  if (!error) return new CliError('the API answered without data', EXIT.REFUSED);
  const code = typeof error.extensions?.code === 'string' ? error.extensions.code : undefined;
  // Validation errors already name each field and its rule in the message (kernel ValidationError).
  const message = error.message;
  const exitCode = code && AUTH_CODES.has(code) ? EXIT.AUTH : EXIT.REFUSED;
  return new CliError(code ? `${message} (${code})` : message, exitCode, code, error.extensions);
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
