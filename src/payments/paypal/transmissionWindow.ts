// How old a PayPal webhook's PAYPAL-TRANSMISSION-TIME may be. The signature covers the transmission id and time but
// only the CRC-32 of the body, which a forger can match by padding a field; so a genuine delivery's headers can be
// carried onto a new body. The transmission id check (recordPaypalWebhook) stops that for every delivery we stored;
// this window bounds how long any captured headers stay usable at all.
//
// PayPal retries a delivery it could not hand over for up to 3 days, and neither its docs nor the samples say whether a
// retry is signed anew or keeps its first transmission time. The default window therefore covers that whole horizon
// (plus an hour): no delivery PayPal may still legitimately send is refused for its age. Operators who see PayPal sign
// each retry afresh can shorten it (PAYPAL_WEBHOOK_TOLERANCE_SECONDS). A delivery refused for its age costs only time:
// value is granted on PayPal's answer to our own request, which the workflow asks for when its wait runs out.

/** PayPal's retry horizon for undelivered webhooks. */
const PAYPAL_RETRY_HORIZON_SECONDS = 3 * 24 * 60 * 60;

export const DEFAULT_TRANSMISSION_TOLERANCE_SECONDS = PAYPAL_RETRY_HORIZON_SECONDS + 60 * 60;

/** How far ahead of our clock PayPal's may run: a transmission time up to this far in the future is taken. */
export const CLOCK_SKEW_SECONDS = 5 * 60;

/** Why a transmission time is outside [now - tolerance, now + skew], or null when it is inside. */
export function transmissionTimeRefusal(
  transmissionTime: string | undefined,
  now: Date,
  toleranceSeconds: number,
): string | null {
  const at = transmissionTime ? Date.parse(transmissionTime) : Number.NaN;
  if (Number.isNaN(at)) return 'transmission time is not a date';
  const ageSeconds = (now.getTime() - at) / 1000;
  if (ageSeconds > toleranceSeconds) return `transmission time is older than ${toleranceSeconds} seconds`;
  if (-ageSeconds > CLOCK_SKEW_SECONDS) return `transmission time is more than ${CLOCK_SKEW_SECONDS} seconds ahead`;
  return null;
}
