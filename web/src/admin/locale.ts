// The operator's locale: the browser's language (money and dates as they read them), en-KE when it says nothing
// usable. Dates stay in East Africa Time, like every other page, so the console and the portal agree on a day.
import { usableLocale } from '../lib/format';

export function adminLocale(): string {
  return usableLocale(typeof navigator === 'undefined' ? null : navigator.language);
}
