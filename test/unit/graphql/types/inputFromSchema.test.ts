import { describe, expect, it } from '@jest/globals';
import { printType, type GraphQLInputObjectType } from 'graphql';
import { buildSchema, Query, registerEnumType, Resolver, Arg } from 'type-graphql';
import { z } from 'zod';
import { InputTypeRegistry } from '../../../../src/graphql/types/inputFromSchema.js';

const ColourEnum = { RED: 'RED', GREEN: 'GREEN' } as const;
registerEnumType(ColourEnum, { name: 'TestColour' });

/** Builds a one-query schema taking `input` of the derived type and prints that type. */
async function printed(define: (inputs: InputTypeRegistry) => new () => unknown, name: string): Promise<string> {
  const Input = define(new InputTypeRegistry([ColourEnum]));
  @Resolver()
  class Probe {
    @Query(() => Boolean)
    probe(@Arg('input', () => Input) input: unknown): boolean {
      return Boolean(input);
    }
  }
  const schema = await buildSchema({ resolvers: [Probe], validate: false });
  return printType(schema.getType(name) as GraphQLInputObjectType);
}

describe('GraphQL inputs derived from zod schemas', () => {
  it('translates each kind of field by the documented rules', async () => {
    const inner = z.object({ line: z.string() });
    const sdl = await printed((inputs) => {
      inputs.define('InnerInput', inner);
      return inputs.define(
        'ProbeInput',
        z.object({
          id: z.string().uuid(),
          name: z.string().trim().min(1).describe('Shown to people.'),
          count: z.number().int().min(1).max(100).default(1),
          amount: z.number().int().max(Number.MAX_SAFE_INTEGER),
          open: z.number().int().nullable(),
          on: z.boolean().optional(),
          at: z.date().nullish(),
          limits: z.record(z.string(), z.number()),
          colour: z.enum(['GREEN', 'RED']),
          tags: z.array(z.string().uuid()),
          inner: inner.nullish(),
          piped: z.array(z.string()).pipe(z.array(z.string()).transform((values) => values.length)),
        }),
        'A probe.',
      );
    }, 'ProbeInput');
    expect(sdl).toBe(`"""A probe."""
input ProbeInput {
  id: ID!

  """Shown to people."""
  name: String!
  count: Int
  amount: SafeInt!
  open: Int
  on: Boolean
  at: DateTimeISO
  limits: JSONObject!
  colour: TestColour!
  tags: [ID!]!
  inner: InnerInput
  piped: [String!]!
}`);
  });

  it('refuses at startup what it cannot translate faithfully', () => {
    const inputs = new InputTypeRegistry([ColourEnum]);
    expect(() => inputs.define('A', z.object({ price: z.number() }))).toThrow(
      'A.price: numbers in inputs must be whole (.int())',
    );
    expect(() => inputs.define('B', z.object({ shade: z.enum(['BLUE']) }))).toThrow(
      'B.shade: 0 registered GraphQL enums have the values BLUE',
    );
    expect(() => inputs.define('C', z.object({ inner: z.object({ x: z.string() }) }))).toThrow(
      'C.inner: define the input type of this object schema before the one that uses it',
    );
    expect(() => inputs.define('D', z.object({ either: z.union([z.string(), z.boolean()]) }))).toThrow(
      'D.either: no GraphQL input type for a zod union',
    );
  });
});
