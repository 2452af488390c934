// Recognises a GraphQL document that is nothing but the entitlement query, so the HTTP fast path
// (src/http/entitlementFastPath.ts) can answer it without Apollo. A document is recognised by its exact text: the
// first time a text is seen it is parsed and validated against the schema with the same rules Apollo runs (the
// specified rules and the query limits), then checked for the one shape the fast path can execute; the verdict,
// a plan or "not this", is kept under the text. Anything the plan cannot answer exactly as graphql-js would is
// refused here, and the request goes to Apollo unchanged.
//
// The shape: one `query` operation, no directives, no fragments, no variable defaults, whose only selection is
// `entitlement(...)` (aliased or not) with each argument a string literal or a variable of a scalar type, selecting
// fields of EntitlementPayload (aliased or not, each response key once), none with arguments or directives.
import {
  getNamedType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLOutputType,
  type GraphQLSchema,
  type ValidationRule,
  type ValueNode,
} from 'graphql';

/** Where an argument's value comes from: the document itself, or a variable of the request. */
export type ArgumentSource = { literal: string | null } | { variable: string; nonNull: boolean; type: 'String' | 'ID' };

export interface EntitlementPlan {
  /** The operation's name: a request naming another operation is not this one. */
  operationName: string | null;
  /** The response key of the entitlement field (its alias, or `entitlement`). */
  responseKey: string;
  customerExternalId: ArgumentSource;
  product: ArgumentSource;
  /** Absent: not given (the resolver sees undefined). */
  apiClientId: ArgumentSource | undefined;
  /** The selected fields in document order: response key, the payload's property, and its GraphQL type. */
  fields: { responseKey: string; name: string; type: GraphQLOutputType }[];
  /** Every variable the operation declares: values of others are ignored, as graphql-js ignores them. */
  variables: Map<string, { nonNull: boolean; type: 'String' | 'ID' }>;
}

export interface EntitlementArguments {
  customerExternalId: string;
  product: string;
  apiClientId: string | null | undefined;
}

const ENTITLEMENT_FIELD = 'entitlement';
const PAYLOAD_TYPE = 'EntitlementPayload';

/** A plan for the document, or null when it is anything else (or invalid: Apollo then says why). */
export function planEntitlementOperation(
  schema: GraphQLSchema,
  rules: readonly ValidationRule[],
  query: string,
): EntitlementPlan | null {
  let document: DocumentNode;
  try {
    document = parse(query, { noLocation: true });
  } catch {
    return null;
  }
  if (document.definitions.length !== 1) return null;
  const [operation] = document.definitions;
  if (operation?.kind !== Kind.OPERATION_DEFINITION || operation.operation !== 'query') return null;
  if (operation.directives?.length) return null;

  const variables = new Map<string, { nonNull: boolean; type: 'String' | 'ID' }>();
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue || definition.directives?.length) return null;
    const nonNull = definition.type.kind === Kind.NON_NULL_TYPE;
    const named = definition.type.kind === Kind.NON_NULL_TYPE ? definition.type.type : definition.type;
    if (named.kind !== Kind.NAMED_TYPE) return null;
    const typeName = named.name.value;
    if (typeName !== 'String' && typeName !== 'ID') return null;
    variables.set(definition.variable.name.value, { nonNull, type: typeName });
  }

  const selections = operation.selectionSet.selections;
  if (selections.length !== 1) return null;
  const [field] = selections;
  if (field?.kind !== Kind.FIELD || field.name.value !== ENTITLEMENT_FIELD || field.directives?.length) return null;
  if (!field.selectionSet) return null;

  const argument = (name: string): ArgumentSource | undefined | null => {
    const node = field.arguments?.find((a) => a.name.value === name);
    return node ? argumentSource(node.value, variables) : undefined;
  };
  const customerExternalId = argument('customerExternalId');
  const product = argument('product');
  const apiClientId = argument('apiClientId');
  if (!customerExternalId || !product || apiClientId === null) return null;
  if ((field.arguments?.length ?? 0) !== 2 + (apiClientId ? 1 : 0)) return null;

  const payload = schema.getType(PAYLOAD_TYPE);
  if (!isObjectType(payload)) return null;
  const payloadFields = payload.getFields();
  const fields: EntitlementPlan['fields'] = [];
  const keys = new Set<string>();
  for (const selection of field.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD || selection.directives?.length || selection.arguments?.length) return null;
    if (selection.selectionSet) return null;
    const definition = payloadFields[selection.name.value];
    if (!definition || !isLeafType(getNamedType(definition.type))) return null;
    const responseKey = selection.alias?.value ?? selection.name.value;
    if (keys.has(responseKey)) return null;
    keys.add(responseKey);
    fields.push({ responseKey, name: definition.name, type: definition.type });
  }

  // Last, as it costs the most: a document Apollo would refuse is left to Apollo, which says why.
  if (validate(schema, document, [...specifiedRules, ...rules]).length > 0) return null;
  return {
    operationName: operation.name?.value ?? null,
    responseKey: field.alias?.value ?? field.name.value,
    customerExternalId,
    product,
    apiClientId,
    fields,
    variables,
  };
}

function argumentSource(value: ValueNode, variables: EntitlementPlan['variables']): ArgumentSource | null {
  if (value.kind === Kind.STRING) return { literal: value.value };
  if (value.kind === Kind.NULL) return { literal: null };
  if (value.kind === Kind.VARIABLE) {
    const declared = variables.get(value.name.value);
    return declared ? { variable: value.name.value, ...declared } : null;
  }
  return null;
}

/**
 * The arguments as graphql-js would coerce them from the request's variables, or null when coercion would not
 * simply pass a string through (a number for an ID, a missing required variable, a wrong type): Apollo then answers.
 */
export function entitlementArguments(
  plan: EntitlementPlan,
  variables: Record<string, unknown> | null | undefined,
): EntitlementArguments | null {
  const given = (name: string): unknown => (variables && Object.hasOwn(variables, name) ? variables[name] : undefined);
  // Every declared variable is coerced, used or not: one that would fail fails the request.
  for (const [name, declared] of plan.variables) {
    const value = given(name);
    if (typeof value === 'string') continue;
    if (declared.nonNull || value !== undefined) {
      // null is a value for a nullable variable; anything else that is not a string would need coercing.
      if (declared.nonNull || value !== null) return null;
    }
  }
  const read = (source: ArgumentSource): string | null | undefined => {
    if ('literal' in source) return source.literal;
    // A nullable variable left out leaves the argument out (undefined); sent as null, the argument is null.
    return given(source.variable) as string | null | undefined;
  };
  const customerExternalId = read(plan.customerExternalId);
  const product = read(plan.product);
  if (typeof customerExternalId !== 'string' || typeof product !== 'string') return null;
  return { customerExternalId, product, apiClientId: plan.apiClientId ? read(plan.apiClientId) : undefined };
}

/**
 * One field's value as graphql-js completes it: non-null checked, lists item by item, leaves through the type's own
 * `serialize` (so dates, enums and JSON come out as Apollo would write them). Throws where graphql-js would report a
 * field error: the fast path then leaves the request to Apollo.
 */
export function completeValue(type: GraphQLOutputType, value: unknown): unknown {
  if (isNonNullType(type)) {
    const completed = completeValue(type.ofType, value);
    if (completed === null) throw new Error('null for a non-null field');
    return completed;
  }
  if (value === null || value === undefined) return null;
  if (isListType(type)) {
    if (!Array.isArray(value)) throw new Error('not a list');
    return value.map((item) => completeValue(type.ofType, item));
  }
  if (isLeafType(type)) {
    const serialized = type.serialize(value);
    if (serialized === undefined || serialized === null) throw new Error(`${type.name} did not serialize`);
    return serialized;
  }
  throw new Error('only leaf fields are planned');
}
