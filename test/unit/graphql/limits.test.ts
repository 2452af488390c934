import { describe, expect, it } from '@jest/globals';
import { buildSchema, getIntrospectionQuery, GraphQLError, parse, specifiedRules, validate } from 'graphql';
import {
  checkDocumentSize,
  checkDocumentText,
  defaultQueryLimits,
  queryLimitRules,
  type QueryLimits,
} from '../../../src/graphql/limits.js';

// Lists nested three deep (customers → subscriptions → invoices → lines), as in the billing API, plus a
// non-list self reference (referrer) to build deep queries that stay cheap.
const schema = buildSchema(`
  type Query {
    customers(first: Int, last: Int): [Customer!]!
    customer(id: ID!): Customer
  }
  type Customer {
    id: ID!
    name: String!
    referrer: Customer
    subscriptions(first: Int): [Subscription!]!
  }
  type Subscription {
    id: ID!
    customer: Customer!
    invoices(first: Int, last: Int): [Invoice!]!
  }
  type Invoice {
    id: ID!
    lines: [InvoiceLine!]!
  }
  type InvoiceLine {
    id: ID!
    amount: Int!
  }
`);

const generous: QueryLimits = { maxDepth: 1000, maxAliases: 1000, maxCost: 1e12, maxDocumentBytes: 1e9 };

function check(document: string, limits: Partial<QueryLimits>): readonly GraphQLError[] {
  return validate(schema, parse(document), [...specifiedRules, ...queryLimitRules({ ...generous, ...limits })]);
}

function extensionsOf(errors: readonly GraphQLError[]) {
  return errors.map((error) => error.extensions);
}

/** `customer { referrer { … { id } } }`: exactly `depth` fields deep, cost `depth`. */
function chain(depth: number): string {
  let selection = 'id';
  for (let level = depth - 1; level > 1; level--) selection = `referrer { ${selection} }`;
  return `{ customer(id: "1") { ${selection} } }`;
}

describe('defaultQueryLimits', () => {
  it('has the documented values', () => {
    expect(defaultQueryLimits).toEqual({ maxDepth: 10, maxAliases: 30, maxCost: 25_000, maxDocumentBytes: 100_000 });
  });
});

describe('depth limit', () => {
  it('passes a query exactly at the maximum and rejects one level more', () => {
    expect(check(chain(10), { maxDepth: 10 })).toEqual([]);

    const errors = check(chain(11), { maxDepth: 10 });
    expect(errors.map((error) => error.message)).toEqual(['query depth 11 exceeds the maximum of 10']);
    expect(extensionsOf(errors)).toEqual([{ code: 'QUERY_TOO_COMPLEX', limit: 'depth', maximum: 10, actual: 11 }]);
    expect(errors[0]?.locations).toEqual([{ line: 1, column: 1 }]);
  });

  it('follows named fragments, fragments inside fragments, and inline fragments without counting them as levels', () => {
    const document = `
      query { customer(id: "1") { ...Outer } }
      fragment Outer on Customer { referrer { ... on Customer { ...Inner } } }
      fragment Inner on Customer { referrer { referrer { id } } }
    `;
    // customer → referrer → referrer → referrer → id
    expect(check(document, { maxDepth: 5 })).toEqual([]);
    expect(extensionsOf(check(document, { maxDepth: 4 }))).toEqual([
      { code: 'QUERY_TOO_COMPLEX', limit: 'depth', maximum: 4, actual: 5 },
    ]);
  });

  it('counts an introspection field as one, since the schema bounds what it returns', () => {
    const document = '{ __schema { types { fields { type { name } } } } }';
    expect(check(document, { maxDepth: 1, maxCost: 1 })).toEqual([]);
    expect(check('{ a: __schema { types { name } } b: __schema { types { name } } }', { maxAliases: 2 })).toEqual([]);
    expect(
      extensionsOf(check('{ a: __schema { types { name } } b: __schema { types { name } } }', { maxAliases: 1 })),
    ).toEqual([{ code: 'QUERY_TOO_COMPLEX', limit: 'aliases', maximum: 1, actual: 2 }]);
  });

  it("lets GraphiQL's full introspection query through the default limits", () => {
    const errors = validate(schema, parse(getIntrospectionQuery({ descriptions: true, specifiedByUrl: true })), [
      ...specifiedRules,
      ...queryLimitRules(defaultQueryLimits),
    ]);
    expect(errors).toEqual([]);
  });

  it('measures each operation of a document on its own and reports the one over the limit', () => {
    const document = `query Shallow { customer(id: "1") { id } }\nquery Deep ${chain(4)}`;
    const errors = check(document, { maxDepth: 3 });
    expect(errors.map((error) => error.message)).toEqual(['query depth 4 exceeds the maximum of 3']);
    expect(errors[0]?.locations).toEqual([{ line: 2, column: 1 }]);
  });
});

describe('alias limit', () => {
  it('passes exactly the maximum number of aliases and rejects one more', () => {
    expect(check('{ a: customer(id: "1") { id } b: customer(id: "2") { n: name } }', { maxAliases: 3 })).toEqual([]);

    const errors = check('{ a: customer(id: "1") { id } b: customer(id: "2") { n: name } c: customers { id } }', {
      maxAliases: 3,
    });
    expect(errors.map((error) => error.message)).toEqual(['query uses 4 aliases, more than the maximum of 3']);
    expect(extensionsOf(errors)).toEqual([{ code: 'QUERY_TOO_COMPLEX', limit: 'aliases', maximum: 3, actual: 4 }]);
  });

  it('counts the aliases of a fragment each time it is spread', () => {
    const document = `
      { a: customer(id: "1") { ...Names } b: customer(id: "2") { ...Names } }
      fragment Names on Customer { first: name second: name }
    `;
    expect(check(document, { maxAliases: 6 })).toEqual([]);
    expect(extensionsOf(check(document, { maxAliases: 5 }))).toEqual([
      { code: 'QUERY_TOO_COMPLEX', limit: 'aliases', maximum: 5, actual: 6 },
    ]);
  });
});

describe('cost limit', () => {
  it('multiplies the children of a list field by the default list size of 10 without first/last', () => {
    // customers (1) + 10 × (id + name)
    expect(check('{ customers { id name } }', { maxCost: 21 })).toEqual([]);
    const errors = check('{ customers { id name } }', { maxCost: 20 });
    expect(errors.map((error) => error.message)).toEqual(['query cost 21 exceeds the maximum of 20']);
    expect(extensionsOf(errors)).toEqual([{ code: 'QUERY_TOO_COMPLEX', limit: 'cost', maximum: 20, actual: 21 }]);
  });

  it('uses first or last when given, and multiplies nested lists', () => {
    // customers (1) + 2 × (subscriptions (1) + 10 × (invoices (1) + 3 × id)) = 1 + 2 × 41 = 83
    const document = '{ customers(first: 2) { subscriptions { invoices(last: 3) { id } } } }';
    expect(check(document, { maxCost: 83 })).toEqual([]);
    expect(extensionsOf(check(document, { maxCost: 82 }))).toEqual([
      { code: 'QUERY_TOO_COMPLEX', limit: 'cost', maximum: 82, actual: 83 },
    ]);
    // Without the arguments every list counts 10: 1 + 10 × (1 + 10 × (1 + 10)) = 1111
    expect(extensionsOf(check('{ customers { subscriptions { invoices { id } } } }', { maxCost: 1110 }))).toEqual([
      { code: 'QUERY_TOO_COMPLEX', limit: 'cost', maximum: 1110, actual: 1111 },
    ]);
  });

  it('counts first given as a variable, unknown during validation, as the default list size', () => {
    const document = 'query ($n: Int) { customers(first: $n) { id } }';
    expect(extensionsOf(check(document, { maxCost: 10 }))).toEqual([
      { code: 'QUERY_TOO_COMPLEX', limit: 'cost', maximum: 10, actual: 11 },
    ]);
  });

  it('counts fields reached through fragments inside lists', () => {
    const document = `
      { customers(first: 4) { ...Customer } }
      fragment Customer on Customer { id subscriptions(first: 5) { id } }
    `;
    // 1 + 4 × (id + subscriptions (1) + 5 × id) = 1 + 4 × 7 = 29
    expect(check(document, { maxCost: 29 })).toEqual([]);
    expect(extensionsOf(check(document, { maxCost: 28 }))).toEqual([
      { code: 'QUERY_TOO_COMPLEX', limit: 'cost', maximum: 28, actual: 29 },
    ]);
  });
});

describe('all limits together', () => {
  it('reports every limit a query breaks, and lets a query within all of them through', () => {
    const limits = { maxDepth: 3, maxAliases: 1, maxCost: 50 };
    expect(check('{ c: customers(first: 3) { subscriptions(first: 2) { id } } }', limits)).toEqual([]);
    const errors = check('{ a: customers { b: subscriptions { invoices { id } } } }', limits);
    expect(extensionsOf(errors)).toEqual([
      { code: 'QUERY_TOO_COMPLEX', limit: 'depth', maximum: 3, actual: 4 },
      { code: 'QUERY_TOO_COMPLEX', limit: 'aliases', maximum: 1, actual: 2 },
      { code: 'QUERY_TOO_COMPLEX', limit: 'cost', maximum: 50, actual: 1111 },
    ]);
    expect(errors.every((error) => error instanceof GraphQLError)).toBe(true);
  });

  it('measures fragments that spread each other many times over without walking every expansion', () => {
    // F40 expands to 2^40 copies of `id`; walked naively this would never finish.
    const fragments = ['fragment F0 on Customer { id }'];
    for (let i = 1; i <= 40; i++)
      fragments.push(`fragment F${i} on Customer { referrer { ...F${i - 1} ...F${i - 1} } }`);
    const document = parse(`{ customer(id: "1") { ...F40 } }\n${fragments.join('\n')}`);
    const started = Date.now();
    const errors = validate(schema, document, queryLimitRules({ ...generous, maxDepth: 100, maxCost: 1000 }));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(extensionsOf(errors)).toEqual([
      // F0 = 1, Fi = 1 + 2 × F(i-1) = 2^(i+1) - 1, plus customer
      { code: 'QUERY_TOO_COMPLEX', limit: 'cost', maximum: 1000, actual: 2 ** 41 },
    ]);
    // customer + 40 referrers + id
    const noCostLimit = { ...generous, maxCost: Infinity };
    expect(validate(schema, document, queryLimitRules({ ...noCostLimit, maxDepth: 42 }))).toEqual([]);
    expect(extensionsOf(validate(schema, document, queryLimitRules({ ...noCostLimit, maxDepth: 41 })))).toEqual([
      { code: 'QUERY_TOO_COMPLEX', limit: 'depth', maximum: 41, actual: 42 },
    ]);
  });
});

describe('checkDocumentSize', () => {
  it('accepts a document of exactly the maximum size and rejects one byte more, counting UTF-8 bytes', () => {
    expect(checkDocumentSize('{ id }', { maxDocumentBytes: 6 })).toBeUndefined();
    const error = checkDocumentSize('# é\n{ id }', { maxDocumentBytes: 10 });
    expect(error?.message).toBe('query document of 11 bytes exceeds the maximum of 10');
    expect(error?.extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', limit: 'documentBytes', maximum: 10, actual: 11 });
  });
});

describe('checkDocumentText', () => {
  const limits = { maxDocumentBytes: 1_000, maxAliases: 2 };

  it('refuses too many aliases before parsing, with 400 and the alias limit', () => {
    expect(checkDocumentText('{ a: me b: me }', limits)).toBeUndefined();
    const refused = checkDocumentText('{ a: me b: me c: me', limits);
    expect(refused?.status).toBe(400);
    expect(refused?.error.message).toBe('query uses more than 2 aliases, the maximum');
    expect(refused?.error.extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', limit: 'aliases', maximum: 2 });
  });

  it('refuses an oversized document first, with 413', () => {
    expect(checkDocumentText(`{ a: me b: me c: me } # ${'x'.repeat(1_000)}`, limits)?.status).toBe(413);
  });
});
