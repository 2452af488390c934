// The API's errors as a form shows them: BAD_USER_INPUT names each field and its rule in `extensions.fields`
// (`input.email`, `input.paymentMethod.phone`), CONFLICT may name one `field`; everything else is one message.
import type { CombinedError } from 'urql';

export interface FormErrors {
  /** By field path without the argument's name: `email`, `paymentMethod.phone`. */
  fields: Record<string, string>;
  /** What belongs to no field, in words. */
  message: string | null;
}

export const NO_ERRORS: FormErrors = { fields: {}, message: null };

function fieldPath(path: string): string {
  return path.replace(/^input\./, '');
}

function sentence(field: string, rule: string): string {
  const name = field.split('.').pop() ?? field;
  return `${name.replace(/([A-Z])/g, ' $1').toLowerCase()} ${rule}`;
}

export function formErrors(error: CombinedError | undefined, known: readonly string[] = []): FormErrors {
  if (!error) return NO_ERRORS;
  if (error.networkError) {
    return { fields: {}, message: 'We could not reach the server. Check your connection and try again.' };
  }
  const fields: Record<string, string> = {};
  const messages: string[] = [];
  for (const graphQLError of error.graphQLErrors) {
    const extensions = graphQLError.extensions as { code?: string; fields?: Record<string, string>; field?: string };
    if (extensions.code === 'BAD_USER_INPUT' && extensions.fields) {
      for (const [path, rule] of Object.entries(extensions.fields)) {
        const field = fieldPath(path);
        // A rule for a field this form does not show is said in words, naming the field.
        if (known.includes(field)) fields[field] ??= capitalise(rule);
        else messages.push(capitalise(sentence(field, rule)));
      }
    } else if (extensions.code === 'CONFLICT' && extensions.field && known.includes(fieldPath(extensions.field))) {
      fields[fieldPath(extensions.field)] ??= capitalise(graphQLError.message);
    } else if (extensions.code === 'RATE_LIMITED') {
      messages.push('Too many attempts. Wait a minute and try again.');
    } else {
      messages.push(capitalise(graphQLError.message));
    }
  }
  return { fields, message: messages.length ? messages.join(' ') : null };
}

function capitalise(text: string): string {
  return text ? text[0]!.toUpperCase() + text.slice(1) : text;
}
