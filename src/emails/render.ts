// Renders a customer email (subject, HTML, plain text) from its kind, its data and the brand. The HTML goes through
// MJML with strict validation on every render, not only in tests: a template that MJML would have to guess about
// is refused instead of being sent looking broken. mjml 5's mjml2html returns a Promise, hence the async API.
import mjml2html from 'mjml';
import type { NoticeKind } from '../notices/queueNotice.js';
import { EmailTemplateError } from './renderError.js';
import { interpolate } from './renderInterpolate.js';
import { TemplateValues } from './renderValues.js';
import { TEMPLATES } from './templates/index.js';
import { documentMjml, documentText, type Block, type EmailTemplate } from './templates/layout.js';

export { EmailTemplateError } from './renderError.js';
export { EMAIL_TIME_ZONE, LINK_PATHS } from './renderValues.js';

export interface Brand {
  productName: string;
  logoUrl: string | null;
  primaryColor: string;
  supportEmail: string;
  legalFooter: string;
  publicUrl: string;
}

export type EmailKind =
  | NoticeKind
  | 'welcome_verify_email'
  | 'password_reset'
  | 'subscription_started'
  | 'invoice_issued'
  | 'subscription_paused'
  | 'subscription_resumed'
  | 'plan_changed'
  /** To administrators, not customers (src/webhooks/delivery/deliveryStore.ts). */
  | 'webhook_endpoint_failing';

export interface EmailData {
  kind: EmailKind;
  recipientName: string;
  /** BCP 47, e.g. en-KE: how money and dates are written. The wording is English whatever the locale. */
  locale: string;
  data: Record<string, unknown>;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

/** An email before MJML: the subject, the plain-text part and the filled-in MJML source of the HTML part. */
export interface PreparedEmail {
  subject: string;
  mjml: string;
  text: string;
}

export const EMAIL_KINDS = Object.keys(TEMPLATES) as EmailKind[];

const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;

function brandVariables(brand: Brand): Record<string, string> {
  if (!HEX_COLOR.test(brand.primaryColor)) {
    throw new EmailTemplateError(
      `the variable "brand.primaryColor" must be a #rrggbb colour, got ${brand.primaryColor}`,
    );
  }
  const entries = Object.entries({
    'brand.productName': brand.productName,
    'brand.logoUrl': brand.logoUrl,
    'brand.primaryColor': brand.primaryColor,
    'brand.supportEmail': brand.supportEmail,
    'brand.legalFooter': brand.legalFooter,
    'brand.publicUrl': brand.publicUrl,
  });
  // A blank brand value is left out, so the placeholder that needs it fails by name.
  return Object.fromEntries(entries.filter((entry): entry is [string, string] => Boolean(entry[1]?.trim())));
}

/** Blocks whose `when` variable is present, and in details only the rows that have a value or are required. */
function visibleBlocks(template: EmailTemplate, variables: Readonly<Record<string, string>>): Block[] {
  return template.blocks.flatMap((block): Block[] => {
    if (block.when !== undefined && !Object.hasOwn(variables, block.when)) return [];
    if (block.kind !== 'details') return [block];
    const rows = block.rows.filter(([, name, optional]) => optional !== 'optional' || Object.hasOwn(variables, name));
    return rows.length > 0 ? [{ ...block, rows }] : [];
  });
}

/**
 * Headers must be one line: a plan name with a newline must not reach the Subject header as one. Intl's no-break
 * spaces ("Ksh\u00a02,500.00", "12:30\u202fAM") are kept, as in the body.
 */
const oneLine = (text: string) => text.replace(/[^\S\u00a0\u202f]+/g, ' ').trim();

/** Everything except MJML: synchronous, for previews and for checking the MJML source itself. */
export function prepareEmail(input: EmailData, brand: Brand): PreparedEmail {
  const template = Object.hasOwn(TEMPLATES, input.kind) ? TEMPLATES[input.kind] : undefined;
  if (!template) throw new EmailTemplateError(`there is no email template for the kind "${String(input.kind)}"`);
  const kind = input.kind;
  const values = new TemplateValues(kind, input.data ?? {}, input.locale, brand);

  const own = Object.entries(template.variables(values)).filter(
    (entry): entry is [string, string] => entry[1] !== undefined,
  );
  const name = input.recipientName?.trim();
  const variables: Record<string, string> = {
    ...brandVariables(brand),
    locale: values.locale,
    // Some customers have no name on file: a neutral greeting, not "Hi ,".
    greeting: name ? `Hi ${name},` : 'Hello,',
    ...Object.fromEntries(own),
  };
  const subject = oneLine(interpolate(template.subject, variables, 'text', `${kind} subject`));
  variables.subject = subject;
  variables.preview = oneLine(interpolate(template.preview, variables, 'text', `${kind} preview`));

  const shown = visibleBlocks(template, variables);
  const mjml = interpolate(documentMjml(template, shown, Boolean(brand.logoUrl?.trim())), variables, 'html', kind);
  const text = documentText(template, shown, (part) => interpolate(part, variables, 'text', `${kind} text`));
  return { subject, mjml, text };
}

/** MJML to HTML, strictly: any validation error is an EmailTemplateError carrying MJML's message. */
export async function compileMjml(source: string, where: string): Promise<string> {
  try {
    // ignoreIncludes: an email never reads files, whatever ends up in its source.
    const { html } = await mjml2html(source, { validationLevel: 'strict', ignoreIncludes: true, keepComments: false });
    return html;
  } catch (error) {
    throw new EmailTemplateError(`${where}: MJML refused the email: ${(error as Error).message}`, { cause: error });
  }
}

/** Throws EmailTemplateError naming the missing variable or the MJML error. */
export async function renderEmail(input: EmailData, brand: Brand): Promise<RenderedEmail> {
  const { subject, mjml, text } = prepareEmail(input, brand);
  return { subject, html: await compileMjml(mjml, input.kind), text };
}
