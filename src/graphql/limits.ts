// Validation rules that reject operations too expensive to run, before any resolver is called. Without them one
// request can nest lists (customers → subscriptions → invoices → lines) or repeat a field under hundreds of aliases
// and make the server load a large part of the database. The rules measure each operation of the document on its
// own, following named fragments, so a limit cannot be dodged by moving fields into a fragment.
import {
  getNamedType,
  getNullableType,
  GraphQLError,
  isCompositeType,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  typeFromAST,
  type ArgumentNode,
  type ASTVisitor,
  type GraphQLCompositeType,
  type GraphQLField,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { hasMoreAliasesThan } from './aliasCount.js';

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
  maxDocumentBytes: number;
}

export const defaultQueryLimits: QueryLimits = {
  maxDepth: 10,
  maxAliases: 30,
  maxCost: 25_000,
  maxDocumentBytes: 100_000,
};

/** Items a list field is assumed to return when the query does not say (`first`/`last`). */
export const DEFAULT_LIST_SIZE = 10;

export const QUERY_TOO_COMPLEX = 'QUERY_TOO_COMPLEX';

type Limit = 'depth' | 'aliases' | 'cost' | 'documentBytes';

interface Measurement {
  depth: number;
  aliases: number;
  cost: number;
}

const NOTHING: Measurement = { depth: 0, aliases: 0, cost: 0 };

/** `actual` is left out where counting stopped at the limit. */
function limitError(message: string, limit: Limit, maximum: number, actual?: number, node?: OperationDefinitionNode) {
  return new GraphQLError(message, {
    nodes: node ? [node] : undefined,
    extensions: { code: QUERY_TOO_COMPLEX, limit, maximum, ...(actual === undefined ? {} : { actual }) },
  });
}

export function queryLimitRules(limits: QueryLimits): ValidationRule[] {
  return [
    limitRule(
      'depth',
      limits.maxDepth,
      (m) => m.depth,
      (actual, max) => `query depth ${actual} exceeds the maximum of ${max}`,
    ),
    limitRule(
      'aliases',
      limits.maxAliases,
      (m) => m.aliases,
      (actual, max) => `query uses ${actual} aliases, more than the maximum of ${max}`,
    ),
    limitRule(
      'cost',
      limits.maxCost,
      (m) => m.cost,
      (actual, max) => `query cost ${actual} exceeds the maximum of ${max}`,
    ),
  ];
}

/**
 * What is checked on the raw text, before parsing, since parsing and validating a huge document is itself the cost:
 * its size (413), then the aliases written anywhere in it (400), counted from tokens up to the first one past the
 * limit. The alias rule below still measures each operation with its fragments expanded, after parsing.
 */
export function checkDocumentText(
  source: string,
  limits: Pick<QueryLimits, 'maxDocumentBytes' | 'maxAliases'>,
): { status: 400 | 413; error: GraphQLError } | undefined {
  const tooLarge = checkDocumentSize(source, limits);
  if (tooLarge) return { status: 413, error: tooLarge };
  if (!hasMoreAliasesThan(source, limits.maxAliases)) return undefined;
  const message = `query uses more than ${limits.maxAliases} aliases, the maximum`;
  return { status: 400, error: limitError(message, 'aliases', limits.maxAliases) };
}

/** The document size alone (see checkDocumentText). Returns the error to send, or undefined when it is fine. */
export function checkDocumentSize(
  source: string,
  limits: Pick<QueryLimits, 'maxDocumentBytes'>,
): GraphQLError | undefined {
  const bytes = Buffer.byteLength(source, 'utf8');
  if (bytes <= limits.maxDocumentBytes) return undefined;
  return limitError(
    `query document of ${bytes} bytes exceeds the maximum of ${limits.maxDocumentBytes}`,
    'documentBytes',
    limits.maxDocumentBytes,
    bytes,
  );
}

function limitRule(
  limit: Exclude<Limit, 'documentBytes'>,
  maximum: number,
  pick: (measurement: Measurement) => number,
  describe: (actual: number, maximum: number) => string,
): ValidationRule {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(operation) {
      const actual = pick(measureOperation(context, operation));
      if (actual > maximum)
        context.reportError(limitError(describe(actual, maximum), limit, maximum, actual, operation));
      return false; // the measurement walked the whole operation already
    },
  });
}

// The three rules run on the same ValidationContext; measuring once per operation keeps the walk linear.
const measured = new WeakMap<ValidationContext, Map<OperationDefinitionNode, Measurement>>();

function measureOperation(context: ValidationContext, operation: OperationDefinitionNode): Measurement {
  let byOperation = measured.get(context);
  if (!byOperation) {
    byOperation = new Map();
    measured.set(context, byOperation);
  }
  let measurement = byOperation.get(operation);
  if (!measurement) {
    measurement = new Walker(context).selectionSet(
      operation.selectionSet,
      context.getSchema().getRootType(operation.operation) ?? undefined,
    );
    byOperation.set(operation, measurement);
  }
  return measurement;
}

const INTROSPECTION_ROOTS = new Set(['__schema', '__type']);

class Walker {
  // A fragment measures the same wherever it is spread (its type condition fixes its fields), so each is walked
  // once: fragments spreading each other twice over would otherwise cost exponential time to measure.
  private readonly fragments = new Map<string, Measurement>();
  private readonly inProgress = new Set<string>();

  private readonly context: ValidationContext;

  constructor(context: ValidationContext) {
    this.context = context;
  }

  /** Depth is the deepest field; aliases and cost add up (branches of an abstract type count as if all ran). */
  /**
   * `pageSize`: set when the parent is a connection field (`customers(first: 50)` returns an object, not a list):
   * its list children (`edges`, `nodes`) take that size instead of multiplying by the default again.
   */
  selectionSet(
    selectionSet: SelectionSetNode,
    parentType: GraphQLCompositeType | undefined,
    pageSize?: number,
  ): Measurement {
    const total = { depth: 0, aliases: 0, cost: 0 };
    for (const selection of selectionSet.selections) {
      let part: Measurement;
      if (selection.kind === Kind.FIELD && INTROSPECTION_ROOTS.has(selection.name.value)) {
        // What introspection returns is bounded by the schema, not by the query: count it as one field, or
        // GraphiQL's and codegen's standard introspection query (depth 15, cost ~50,000) would be refused.
        // The alias limit still caps how many copies one query can ask for.
        part = { depth: 1, aliases: selection.alias ? 1 : 0, cost: 1 };
      } else if (selection.kind === Kind.FIELD) {
        const field = fieldDefinition(parentType, selection.name.value);
        const childType = field ? getNamedType(field.type) : undefined;
        const args = selection.arguments ?? [];
        const isList = Boolean(field && isListType(getNullableType(field.type)));
        const connectionSize = !isList && hasPageArgument(args) ? listSize(args) : undefined;
        const children = selection.selectionSet
          ? this.selectionSet(
              selection.selectionSet,
              isCompositeType(childType) ? childType : undefined,
              connectionSize,
            )
          : NOTHING;
        const multiplier = isList ? (hasPageArgument(args) ? listSize(args) : (pageSize ?? DEFAULT_LIST_SIZE)) : 1;
        part = {
          depth: 1 + children.depth,
          aliases: (selection.alias ? 1 : 0) + children.aliases,
          cost: 1 + multiplier * children.cost,
        };
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const typeCondition = selection.typeCondition
          ? typeFromAST(this.context.getSchema(), selection.typeCondition)
          : parentType;
        part = this.selectionSet(selection.selectionSet, isCompositeType(typeCondition) ? typeCondition : undefined);
      } else {
        part = this.fragment(selection.name.value);
      }
      total.depth = Math.max(total.depth, part.depth);
      total.aliases += part.aliases;
      total.cost += part.cost;
    }
    return total;
  }

  private fragment(name: string): Measurement {
    const known = this.fragments.get(name);
    if (known) return known;
    const fragment = this.context.getFragment(name);
    // Unknown fragments and cycles are reported by the specified rules; here they just add nothing.
    if (!fragment || this.inProgress.has(name)) return NOTHING;
    this.inProgress.add(name);
    const type = typeFromAST(this.context.getSchema(), fragment.typeCondition);
    const measurement = this.selectionSet(fragment.selectionSet, isCompositeType(type) ? type : undefined);
    this.inProgress.delete(name);
    this.fragments.set(name, measurement);
    return measurement;
  }
}

function fieldDefinition(
  parentType: GraphQLCompositeType | undefined,
  name: string,
): GraphQLField<unknown, unknown> | undefined {
  if (!parentType) return undefined;
  // Introspection fields are in no type's field map; they are measured like any other field (__schema.types is
  // a list like any other), so an introspection query cannot be used to get around the limits.
  if (name === SchemaMetaFieldDef.name) return SchemaMetaFieldDef;
  if (name === TypeMetaFieldDef.name) return TypeMetaFieldDef;
  if (name === TypeNameMetaFieldDef.name) return TypeNameMetaFieldDef;
  return isObjectType(parentType) || isInterfaceType(parentType) ? parentType.getFields()[name] : undefined;
}

/**
 * `first`/`last` given as literals say how many items a list returns. A variable is unknown during validation
 * (Apollo validates before it coerces variables), so it counts as the default size: resolvers must still clamp
 * page sizes themselves.
 */
function hasPageArgument(args: readonly ArgumentNode[]): boolean {
  return args.some((arg) => arg.name.value === 'first' || arg.name.value === 'last');
}

function listSize(args: readonly ArgumentNode[]): number {
  const sizes = args
    .map((arg) =>
      (arg.name.value === 'first' || arg.name.value === 'last') && arg.value.kind === Kind.INT
        ? Number(arg.value.value)
        : NaN,
    )
    .filter((size) => Number.isSafeInteger(size) && size >= 0);
  return sizes.length > 0 ? Math.max(...sizes) : DEFAULT_LIST_SIZE;
}
