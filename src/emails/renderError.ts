// Its own module so that the templates and the value readers can throw it without importing render.ts, which
// imports them (an import cycle would leave the class undefined while the templates load).

/** A template could not be filled: a variable is missing or malformed, or MJML refused the document. */
export class EmailTemplateError extends Error {
  override name = 'EmailTemplateError';
}
