// What the API writes into index.html for this page load (src/http/webApp.ts): the brand, as a JSON data block,
// and the nonce Mantine's <style> tags must carry under the page's Content-Security-Policy. Under `vite` (dev)
// neither is there, and the defaults below apply.

export interface Brand {
  name: string;
  primaryColor: string;
  logoUrl: string | null;
  supportEmail: string | null;
}

const DEFAULT_BRAND: Brand = { name: 'Billing', primaryColor: '#0b7a4b', logoUrl: null, supportEmail: null };

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

export function readBrand(doc: Document = document): Brand {
  const element = doc.getElementById('brand');
  if (!element?.textContent) return DEFAULT_BRAND;
  try {
    const parsed = JSON.parse(element.textContent) as Record<string, unknown>;
    const colour = text(parsed.primaryColor);
    const logo = text(parsed.logoUrl);
    return {
      name: text(parsed.name) ?? DEFAULT_BRAND.name,
      primaryColor: colour && /^#[0-9a-f]{6}$/i.test(colour) ? colour : DEFAULT_BRAND.primaryColor,
      logoUrl: logo && /^https:\/\//.test(logo) ? logo : null,
      supportEmail: text(parsed.supportEmail),
    };
  } catch {
    return DEFAULT_BRAND;
  }
}

export function readStyleNonce(doc: Document = document): string | undefined {
  return doc.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content || undefined;
}
