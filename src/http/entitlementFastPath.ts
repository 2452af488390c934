// "Has this customer paid?" without Apollo. With answers from memory, Apollo's request pipeline and content
// negotiation, the context and key lookup and graphql-js's execution were a third of the API's CPU per request, and
// the API spent twice the bare baseline server's (bench/results/entitlement-profile.md). This path answers the one
// operation apps send all day, a POST of the entitlement query with an API key already known to this process, from
// the same use case (src/billing/entitlement.ts) and the same caches, and writes the bytes Apollo would have
// written: the same status, headers and JSON (test/integration/http/entitlementFastPath.test.ts compares the two
// answer for answer).
//
// It runs inside the GraphQL route (src/http/graphqlRoute.ts), after the security headers, CORS, the rate limit,
// the body checks and the document limits, so those apply unchanged. It answers only when every condition holds,
// and otherwise returns false and the request goes on to Apollo as if this path did not exist:
//
// - the document is recognised by its exact text (src/graphql/entitlementOperation.ts: parsed and validated the
//   first time, its plan kept under the text), and `operationName`, if given, names its operation;
// - the body has no keys but `query`, `variables` and `operationName` (no `extensions`: persisted queries and the
//   like are Apollo's), and the variables are strings where the operation declares them;
// - the caller is an API key in `X-Api-Key` (no `Authorization` header) that this process has already resolved
//   and still holds (src/auth/apiKeyCache.ts): an unknown, revoked or malformed key is Apollo's to refuse;
// - the `Accept` header is absent or one whose content type is known (ACCEPTED_MEDIA_TYPES);
// - the use case answers: a caller it refuses (a missing scope, another app's apiClientId) is Apollo's to refuse,
//   in Apollo's words, and so is a value graphql-js would not serialize.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GraphQLSchema, ValidationRule } from 'graphql';
import type { CallerResolver } from '../auth/resolveCaller.js';
import { entitlement, type Entitlement } from '../billing/entitlement.js';
import type { BillingSettings } from '../graphql/context.js';
import {
  completeValue,
  entitlementArguments,
  planEntitlementOperation,
  type EntitlementPlan,
} from '../graphql/entitlementOperation.js';

const JSON_UTF8 = 'application/json; charset=utf-8';
const GRAPHQL_RESPONSE_UTF8 = 'application/graphql-response+json; charset=utf-8';

/**
 * `Accept` headers the fast path answers, with the content type Apollo negotiates for each (and the test checks):
 * none, what fetch and most HTTP clients send, and what the common GraphQL clients send. Others go to Apollo.
 */
export const ACCEPTED_MEDIA_TYPES: ReadonlyMap<string | undefined, string> = new Map([
  [undefined, JSON_UTF8],
  ['*/*', JSON_UTF8],
  ['application/json', JSON_UTF8],
  ['application/json, */*', JSON_UTF8],
  ['application/graphql-response+json', GRAPHQL_RESPONSE_UTF8],
  ['application/graphql-response+json, application/json', GRAPHQL_RESPONSE_UTF8],
  ['application/graphql-response+json, application/json;q=0.9', GRAPHQL_RESPONSE_UTF8],
  [
    'application/graphql-response+json, application/graphql+json, application/json, text/event-stream, multipart/mixed',
    GRAPHQL_RESPONSE_UTF8,
  ],
]);

/** Distinct document texts whose verdict is kept; past it the least recently used is forgotten. */
const PLANNED_DOCUMENTS = 200;
/** Longer texts are not even parsed here: the entitlement query is a few hundred characters. */
const MAX_PLANNED_LENGTH = 4_000;
const BODY_KEYS = new Set(['query', 'variables', 'operationName']);

export interface EntitlementFastPathOptions {
  schema: GraphQLSchema;
  /** The validation rules Apollo runs beside graphql-js's specified rules (the query limits). */
  validationRules: readonly ValidationRule[];
  callers: Pick<CallerResolver, 'cachedApiKey'>;
  billing: BillingSettings;
}

export interface EntitlementFastPath {
  /** Answers the request and returns true, or returns false having written nothing. */
  answer(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<boolean>;
  /** Requests answered here, for tests and operators. */
  readonly answered: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}

export function entitlementFastPath(options: EntitlementFastPathOptions): EntitlementFastPath {
  const { schema, validationRules, callers, billing } = options;
  // In least-recently-used order, as the caches are: a hit re-inserts its entry.
  const plans = new Map<string, EntitlementPlan | null>();
  let answered = 0;

  const planFor = (query: string): EntitlementPlan | null => {
    const known = plans.get(query);
    if (known !== undefined) {
      plans.delete(query);
      plans.set(query, known);
      return known;
    }
    if (query.length > MAX_PLANNED_LENGTH || !query.includes('entitlement')) return null;
    const plan = planEntitlementOperation(schema, validationRules, query);
    if (plans.size >= PLANNED_DOCUMENTS) plans.delete(plans.keys().next().value!);
    plans.set(query, plan);
    return plan;
  };

  /** The response body graphql-js and Apollo would write, or null where they would report an error. */
  const render = (plan: EntitlementPlan, payload: Entitlement): string | null => {
    // Without a prototype, as graphql-js builds results: an alias such as __proto__ stays an ordinary key.
    const fields = Object.create(null) as Record<string, unknown>;
    try {
      for (const field of plan.fields) {
        fields[field.responseKey] = completeValue(field.type, payload[field.name as keyof Entitlement]);
      }
    } catch {
      return null;
    }
    const data = Object.create(null) as Record<string, unknown>;
    data[plan.responseKey] = fields;
    // Apollo's stringifyResult: JSON.stringify of { errors, data, extensions } (undefined ones vanish) and "\n".
    return `${JSON.stringify({ data })}\n`;
  };

  return {
    get answered() {
      return answered;
    },
    async answer(req, res, body) {
      if (req.method !== 'POST' || req.headers.authorization !== undefined) return false;
      const apiKey = req.headers['x-api-key'];
      if (typeof apiKey !== 'string') return false;
      const contentType = ACCEPTED_MEDIA_TYPES.get(req.headers.accept);
      if (!contentType) return false;

      if (!isRecord(body)) return false;
      for (const key in body) if (!BODY_KEYS.has(key)) return false;
      const { query, variables, operationName } = body;
      if (typeof query !== 'string') return false;
      if (variables !== undefined && variables !== null && !isRecord(variables)) return false;
      if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') return false;

      const plan = planFor(query);
      if (!plan) return false;
      if (typeof operationName === 'string' && operationName !== plan.operationName) return false;
      const args = entitlementArguments(plan, variables);
      if (!args) return false;
      const caller = callers.cachedApiKey(apiKey.trim());
      if (!caller) return false;

      let payload: Entitlement;
      try {
        payload = await entitlement(billing.lookupEntitlement, caller, args.customerExternalId, args.product, {
          ...billing,
          apiClientId: args.apiClientId,
        });
      } catch {
        return false;
      }
      const text = render(plan, payload);
      if (text === null) return false;
      answered += 1;
      // A client that has gone away is answered by nobody: Apollo would only write to the same closed socket.
      if (res.destroyed) return true;
      res.statusCode = 200;
      res.setHeader('content-type', contentType);
      res.end(text);
      return true;
    },
  };
}
