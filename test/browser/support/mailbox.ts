// Links a subscriber follows from an email, as their mail client would find them.
import { until } from '../../support/eventually.js';
import type { SmtpCatcher } from '../../support/smtpCatcher.js';

/** The first link in the newest email to `address` whose href contains `fragment`; waits for the email. */
export async function linkInEmail(mailbox: SmtpCatcher, address: string, fragment: string): Promise<string> {
  let link: string | undefined;
  await until(() => {
    const html = mailbox.to(address).at(-1)?.html ?? '';
    link = [...html.matchAll(/href="([^"]+)"/g)]
      .map((match) => match[1]!.replace(/&amp;/g, '&'))
      .find((href) => href.includes(fragment));
    if (!link) throw new Error(`no email to ${address} with a link to ${fragment} yet`);
  }, 20_000);
  return link!;
}
