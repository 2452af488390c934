// Daraja's Timestamp and Password: the Timestamp is YYYYMMDDHHmmss in East Africa Time (UTC+3, no daylight saving),
// and the same value goes into the Password, base64(Shortcode + Passkey + Timestamp).

const EAT_OFFSET_MS = 3 * 60 * 60 * 1000;

/** YYYYMMDDHHmmss in East Africa Time. */
export function darajaTimestamp(date: Date): string {
  const eat = new Date(date.getTime() + EAT_OFFSET_MS);
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    String(eat.getUTCFullYear()).padStart(4, '0') +
    pad(eat.getUTCMonth() + 1) +
    pad(eat.getUTCDate()) +
    pad(eat.getUTCHours()) +
    pad(eat.getUTCMinutes()) +
    pad(eat.getUTCSeconds())
  );
}

/** base64(Shortcode + Passkey + Timestamp), the Password of STK Push and STK Query. */
export function stkPassword(shortcode: string, passkey: string, timestamp: string): string {
  return Buffer.from(`${shortcode}${passkey}${timestamp}`, 'utf8').toString('base64');
}
