// GraphQL input types derived from the use cases' zod schemas, so each input is defined once: the schema says
// which fields exist, which may be left out, their types, limits and descriptions; this module only translates.
// Rules of the translation (the committed schema.graphql shows the result, and a test keeps them in step):
// - optional, nullable or defaulted fields are nullable; the rest are required;
// - strings in UUID format are ID; other strings (whatever their checks or transforms) are String;
// - whole numbers are Int, unless their declared maximum does not fit in 32 bits: then SafeInt (money);
// - booleans are Boolean, dates DateTimeISO, records JSONObject, arrays lists of their items;
// - an enum is the registered GraphQL enum with exactly its values (ambiguity or absence is an error at startup);
// - an object is the input type registered for that very schema;
// - descriptions come from `.describe()` on the field.
import { GraphQLJSONObject, GraphQLSafeInt } from 'graphql-scalars';
import { Field, ID, InputType, Int } from 'type-graphql';
import type { z } from 'zod';

type AnySchema = z.ZodType;
type ObjectSchema = z.ZodObject;
type GraphQLTypeReference = object | [object];

/** A registered GraphQL enum (the object given to registerEnumType). */
type GraphQLEnum = Record<string, string>;

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'pipe', 'catch', 'nonoptional']);
const INT32_MAX = 2 ** 31 - 1;

interface Definition {
  def: { type: string; [key: string]: unknown };
}

function definitionOf(schema: AnySchema): Definition['def'] {
  return (schema as unknown as { _zod: Definition })._zod.def;
}

/** The schema under optional/nullable/default/pipe wrappers, whether null or absence is allowed, and a description. */
function unwrap(schema: AnySchema): { core: AnySchema; nullable: boolean; description?: string } {
  let core = schema;
  let nullable = false;
  let description = schema.description;
  for (let def = definitionOf(core); WRAPPERS.has(def.type); def = definitionOf(core)) {
    if (def.type === 'optional' || def.type === 'nullable' || def.type === 'default' || def.type === 'prefault') {
      nullable = true;
    }
    // A pipe's input side is what a client sends; its output side is what the use case receives.
    core = (def.type === 'pipe' ? def.in : def.innerType) as AnySchema;
    description ??= core.description;
  }
  return { core, nullable, description };
}

interface Check {
  _zod: { def: { check: string; format?: string; value?: number } };
}

function checksOf(schema: AnySchema): Check['_zod']['def'][] {
  return ((definitionOf(schema).checks ?? []) as Check[]).map((check) => check._zod.def);
}

export class InputTypeRegistry {
  private readonly objects = new Map<AnySchema, object>();

  constructor(private readonly enums: readonly GraphQLEnum[]) {}

  /**
   * Declares the GraphQL input type `name` for an object schema. Returns a class for `@Arg(..., () => Class)`;
   * resolvers receive `z.input<typeof schema>` and hand it to the use case, which parses it with the same schema.
   */
  define<S extends ObjectSchema>(name: string, schema: S, description?: string): new () => z.input<S> {
    const Input = { [name]: class {} }[name]!;
    for (const [field, fieldSchema] of Object.entries(schema.shape)) {
      const { core, nullable, description: fieldDescription } = unwrap(fieldSchema as AnySchema);
      const type = this.typeOf(core, `${name}.${field}`);
      Field(() => type, { nullable, description: fieldDescription })(Input.prototype, field);
    }
    InputType(name, { description })(Input);
    this.objects.set(schema, Input);
    return Input as new () => z.input<S>;
  }

  private typeOf(schema: AnySchema, where: string): GraphQLTypeReference {
    const def = definitionOf(schema);
    switch (def.type) {
      case 'string':
        return checksOf(schema).some((check) => check.format === 'uuid') || def.format === 'uuid' ? ID : String;
      case 'number':
        return this.numberType(schema, where);
      case 'boolean':
        return Boolean;
      case 'date':
        return Date;
      case 'record':
        return GraphQLJSONObject;
      case 'array':
        return [this.typeOf(unwrap(def.element as AnySchema).core, where) as object];
      case 'enum':
        return this.enumType(Object.values(def.entries as Record<string, string>), where);
      case 'object':
        return this.objectType(schema, where);
      default:
        throw new Error(`${where}: no GraphQL input type for a zod ${def.type}`);
    }
  }

  private numberType(schema: AnySchema, where: string): object {
    const checks = checksOf(schema);
    if (!checks.some((check) => check.format === 'safeint' || check.format === 'int32')) {
      throw new Error(`${where}: numbers in inputs must be whole (.int()): amounts are integer minor units`);
    }
    const maximum = checks.find((check) => check.check === 'less_than')?.value;
    return maximum !== undefined && maximum > INT32_MAX ? GraphQLSafeInt : Int;
  }

  private enumType(values: string[], where: string): object {
    const matches = this.enums.filter((candidate) => sameValues(Object.values(candidate), values));
    if (matches.length !== 1) {
      throw new Error(`${where}: ${matches.length} registered GraphQL enums have the values ${values.join(', ')}`);
    }
    return matches[0]!;
  }

  private objectType(schema: AnySchema, where: string): object {
    const input = this.objects.get(schema);
    if (!input) throw new Error(`${where}: define the input type of this object schema before the one that uses it`);
    return input;
  }
}

function sameValues(left: string[], right: string[]): boolean {
  return left.length === right.length && left.every((value) => right.includes(value));
}
