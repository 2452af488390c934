import { EmailTemplateError } from './renderError.js';

/** `{{name}}` or `{{brand.productName}}`; whitespace inside the braces is allowed. */
const PLACEHOLDER = /\{\{\s*([A-Za-z][\w.]*)\s*\}\}/g;

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  // Braces too, so a value can never be mistaken for a placeholder by a later pass or a leftover check.
  '{': '&#123;',
  '}': '&#125;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'{}]/g, (character) => HTML_ESCAPES[character]!);
}

export type InterpolationMode = 'html' | 'text';

/**
 * Fills every placeholder in one pass (values are never rescanned). A placeholder without a value, or braces that
 * do not form one, throw: an email with a silent blank is worse than an email not sent.
 */
export function interpolate(
  template: string,
  values: Readonly<Record<string, string>>,
  mode: InterpolationMode,
  where: string,
): string {
  const filled = template.replace(PLACEHOLDER, (_match, name: string) => {
    const value = Object.hasOwn(values, name) ? values[name] : undefined;
    if (value === undefined) throw new EmailTemplateError(`${where}: no value for the variable "${name}"`);
    return mode === 'html' ? escapeHtml(value) : value;
  });
  // Checked on the template, not the result: text-mode values may legitimately contain braces.
  const stray = template.replace(PLACEHOLDER, '').match(/\{\{|\}\}/);
  if (stray) throw new EmailTemplateError(`${where}: malformed placeholder near "${stray[0]}"`);
  return filled;
}
