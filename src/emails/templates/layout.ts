// The shared parts of every email. A template is a list of blocks; the HTML (through MJML) and the plain-text part
// are both written from those blocks and the same variables, so the two always say the same thing and the text
// part is laid out for reading as text rather than recovered from markup.
import type { TemplateValues } from '../renderValues.js';

export type Block =
  | { kind: 'paragraph'; text: string; when?: string }
  | { kind: 'note'; text: string; when?: string }
  | { kind: 'button'; label: string; href: string; when?: string }
  | { kind: 'details'; rows: readonly DetailRow[]; when?: string };

/** A label and the variable holding its value; an 'optional' row is left out when the variable is. */
export type DetailRow = readonly [label: string, variable: string, optional?: 'optional'];

export interface EmailTemplate {
  /** Subject line (plain text, placeholders allowed). */
  subject: string;
  /** The preheader inboxes show after the subject. */
  preview: string;
  heading: string;
  blocks: readonly Block[];
  /**
   * Every variable the template's texts use, read and formatted from the data. A block with `when` is shown only
   * if that variable is in the result, which is how a template says "this part is optional".
   */
  variables(values: TemplateValues): Record<string, string | undefined>;
}

/** `{{name}}` for a variable: keeps placeholder spelling in one place. */
const v = (name: string) => `{{${name}}}`;

export const paragraph = (text: string, when?: string): Block => ({ kind: 'paragraph', text, when });
/** Smaller, secondary text: expiry times, what to do if the email was not expected. */
export const note = (text: string, when?: string): Block => ({ kind: 'note', text, when });
/** `href` names the variable that holds the URL. */
export const button = (label: string, href: string, when?: string): Block => ({ kind: 'button', label, href, when });
export const details = (rows: readonly DetailRow[], when?: string): Block => ({
  kind: 'details',
  rows,
  when,
});

const TEXT_COLOR = '#1f2933';
const MUTED_COLOR = '#6b7280';
const PAGE_COLOR = '#f4f5f7';

function blockMjml(block: Block): string {
  switch (block.kind) {
    case 'paragraph':
      return `<mj-text>${block.text}</mj-text>`;
    case 'note':
      return `<mj-text font-size="13px" line-height="20px" color="${MUTED_COLOR}">${block.text}</mj-text>`;
    case 'button':
      return [
        `<mj-button href="${v(block.href)}">${block.label}</mj-button>`,
        // Some clients block buttons' links or render them as images: the address is always there to copy.
        `<mj-text font-size="13px" line-height="20px" color="${MUTED_COLOR}">If the button does not work, copy this ` +
          `link into your browser: <a href="${v(block.href)}" style="color: ${v('brand.primaryColor')}; ` +
          `word-break: break-all;">${v(block.href)}</a></mj-text>`,
      ].join('\n');
    case 'details': {
      const rows = block.rows
        .map(
          ([label, name]) =>
            `<tr><td style="padding: 6px 12px 6px 0; color: ${MUTED_COLOR}; white-space: nowrap;">${label}</td>` +
            `<td style="padding: 6px 0; font-weight: bold;">${v(name)}</td></tr>`,
        )
        .join('\n');
      return `<mj-table>\n${rows}\n</mj-table>`;
    }
  }
}

/** The header: the logo when the brand has one (linked to the public site), else the product name in brand colour. */
function headerMjml(hasLogo: boolean): string {
  const mark = hasLogo
    ? `<mj-image src="${v('brand.logoUrl')}" alt="${v('brand.productName')}" href="${v('brand.publicUrl')}" ` +
      `width="160px" align="left" padding="0 24px" />`
    : `<mj-text font-size="20px" font-weight="bold" color="${v('brand.primaryColor')}" padding="0 24px">` +
      `${v('brand.productName')}</mj-text>`;
  return `<mj-section padding="24px 0 12px"><mj-column>${mark}</mj-column></mj-section>`;
}

function footerMjml(): string {
  return `<mj-section padding="16px 0 32px">
      <mj-column>
        <mj-text font-size="12px" line-height="18px" color="${MUTED_COLOR}">Questions? Write to <a href="mailto:${v('brand.supportEmail')}" style="color: ${v('brand.primaryColor')};">${v('brand.supportEmail')}</a>.</mj-text>
        <mj-text font-size="12px" line-height="18px" color="${MUTED_COLOR}">${v('brand.legalFooter')}</mj-text>
      </mj-column>
    </mj-section>`;
}

/** The whole MJML document, placeholders still in it; `shown` are the blocks whose `when` was met. */
export function documentMjml(template: EmailTemplate, shown: readonly Block[], hasLogo: boolean): string {
  return `<mjml lang="${v('locale')}">
  <mj-head>
    <mj-title>${v('subject')}</mj-title>
    <mj-preview>${v('preview')}</mj-preview>
    <mj-attributes>
      <mj-all font-family="Helvetica, Arial, sans-serif" />
      <mj-text font-size="15px" line-height="24px" color="${TEXT_COLOR}" padding="8px 24px" />
      <mj-button background-color="${v('brand.primaryColor')}" color="#ffffff" font-size="15px" font-weight="bold" border-radius="4px" inner-padding="12px 24px" padding="16px 24px 8px" align="left" />
      <mj-table font-size="15px" line-height="22px" color="${TEXT_COLOR}" padding="8px 24px" />
    </mj-attributes>
  </mj-head>
  <mj-body background-color="${PAGE_COLOR}" width="600px">
    ${headerMjml(hasLogo)}
    <mj-section background-color="#ffffff" border-top="4px solid ${v('brand.primaryColor')}" padding="16px 0 24px">
      <mj-column>
        <mj-text font-size="22px" line-height="30px" font-weight="bold" padding="16px 24px 8px">${template.heading}</mj-text>
        <mj-text>${v('greeting')}</mj-text>
        ${shown.map(blockMjml).join('\n        ')}
      </mj-column>
    </mj-section>
    ${footerMjml()}
  </mj-body>
</mjml>
`;
}

/**
 * The plain-text part, from the same blocks. `fill` interpolates one text (no escaping); details are aligned in
 * two columns and buttons become "label: URL" lines, which every text client turns into a link.
 */
export function documentText(template: EmailTemplate, shown: readonly Block[], fill: (text: string) => string): string {
  const parts = [fill(template.heading), fill(v('greeting'))];
  for (const block of shown) {
    switch (block.kind) {
      case 'paragraph':
      case 'note':
        parts.push(fill(block.text));
        break;
      case 'button':
        parts.push(`${fill(block.label)}:\n${fill(v(block.href))}`);
        break;
      case 'details': {
        const rows = block.rows.map(([label, name]) => [`${fill(label)}:`, fill(v(name))] as const);
        const width = Math.max(...rows.map(([label]) => label.length));
        parts.push(rows.map(([label, value]) => `${label.padEnd(width)} ${value}`).join('\n'));
        break;
      }
    }
  }
  parts.push(
    fill(`-- \n${v('brand.productName')}\nQuestions? Write to ${v('brand.supportEmail')}\n${v('brand.legalFooter')}`),
  );
  return `${parts.join('\n\n')}\n`;
}
