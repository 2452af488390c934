// Where a client app may send its customers back to from a hosted checkout or portal page. Registered per app by an
// administrator, as bare origins: a hosted page redirects only to URLs on one of them, so a link made with a stolen
// or guessed return URL cannot hand the customer (or the page's answer) to another site.
import { z } from 'zod';

const ORIGIN_RULE = 'must be an origin like https://app.example.com or https://app.example.com:8443 (no path)';
const HTTPS_RULE = 'must use https (http only for localhost or 127.0.0.1, for development)';
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1']);

/** Plain http is fine only where nobody else is on the wire: the developer's own machine. */
function allowedScheme(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname));
}

/** An origin, normalized as browsers compare them: lower-case scheme and host, no default port, no trailing slash. */
export const originSchema = z.string().transform((value, ctx) => {
  const text = value.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    ctx.addIssue({ code: 'custom', message: ORIGIN_RULE });
    return z.NEVER;
  }
  // A lone trailing slash is how many people write an origin; anything else after the host is a path.
  const bare = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]+\/?$/i.test(text) && !url.username && !url.password;
  if (!bare) ctx.addIssue({ code: 'custom', message: ORIGIN_RULE });
  else if (!allowedScheme(url)) ctx.addIssue({ code: 'custom', message: HTTPS_RULE });
  return url.origin;
});

export const returnOriginsSchema = z
  .array(originSchema)
  .max(20, 'must name at most 20 origins')
  .transform((origins) => [...new Set(origins)])
  .describe('Where hosted pages may send customers back: origins such as https://app.example.com, no paths.');

/**
 * A URL a hosted page will send the customer to, if it is on one of the app's origins (http(s) only, no
 * credentials); otherwise the rule it breaks. Returns the URL as the browser will read it.
 */
export function urlOnOrigins(value: string, origins: readonly string[]): { url: string } | { problem: string } {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return { problem: 'must be an absolute URL (https://…)' };
  }
  if (url.username || url.password || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    return { problem: 'must be an http(s) URL without credentials' };
  }
  if (!origins.includes(url.origin)) {
    return {
      problem: origins.length
        ? `must be on one of the app's return origins (${origins.join(', ')})`
        : 'must be on one of the app’s return origins, and the app has none yet (setApiClientReturnOrigins)',
    };
  }
  return { url: url.href };
}
