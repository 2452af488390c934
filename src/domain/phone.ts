// Phone numbers in E.164. Kenyan mobiles (the ones M-Pesa can charge) are accepted as people write them:
// 0712 345 678, 0112345678, 254712345678, +254 712 345 678.

const E164 = /^\+[1-9]\d{6,14}$/;
// Safaricom, Airtel and Telkom mobile ranges: 7xx and 1xx after the country code.
const KENYAN_MOBILE = /^\+254(7\d{8}|1\d{8})$/;

export function normalizePhone(input: string): string | null {
  const compact = input.replace(/[\s().-]/g, '');
  let candidate = compact;
  if (/^0[17]\d{8}$/.test(compact)) candidate = `+254${compact.slice(1)}`;
  else if (/^254[17]\d{8}$/.test(compact)) candidate = `+${compact}`;
  return E164.test(candidate) ? candidate : null;
}

export function isKenyanMobile(e164: string): boolean {
  return KENYAN_MOBILE.test(e164);
}
