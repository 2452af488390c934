import type { z } from 'zod';
import { ValidationError } from './errors.js';

/** Parses use-case input with a zod schema; failures become one ValidationError naming every field and rule. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, prefix = 'input'): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    // An empty prefix names top-level arguments as they are (`to`, not `.to`).
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    fields[path] ??= issue.message;
  }
  throw new ValidationError(fields);
}
