import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../../src/config.js';
import { brandFrom } from '../../../src/emails/brand.js';

describe('brandFrom', () => {
  it('gives the default brand, with PUBLIC_URL as the base of links', () => {
    const config = loadConfig({});
    expect(brandFrom(config)).toEqual({
      productName: 'Karibu Billing',
      logoUrl: null,
      primaryColor: '#0b7a4b',
      supportEmail: 'support@example.com',
      legalFooter: 'You receive this email because you have an account with us.',
      publicUrl: 'http://localhost:4000',
    });
    expect(config.emails.defaultLocale).toBe('en-KE');
  });

  it('takes the BRAND_* settings', () => {
    const config = loadConfig({
      BRAND_PRODUCT_NAME: 'Duka Cloud',
      BRAND_LOGO_URL: 'https://cdn.example.com/duka.png',
      BRAND_PRIMARY_COLOR: '#AA3300',
      BRAND_SUPPORT_EMAIL: 'help@duka.example',
      BRAND_LEGAL_FOOTER: 'Duka Cloud Ltd, P.O. Box 1, Nairobi.',
      EMAIL_DEFAULT_LOCALE: 'sw-KE',
      PUBLIC_URL: 'https://billing.duka.example/',
    });
    expect(brandFrom(config)).toEqual({
      productName: 'Duka Cloud',
      logoUrl: 'https://cdn.example.com/duka.png',
      primaryColor: '#AA3300',
      supportEmail: 'help@duka.example',
      legalFooter: 'Duka Cloud Ltd, P.O. Box 1, Nairobi.',
      publicUrl: 'https://billing.duka.example',
    });
    expect(config.emails.defaultLocale).toBe('sw-KE');
  });

  it('refuses brand settings that would break an email, naming them', () => {
    expect(() => loadConfig({ BRAND_PRIMARY_COLOR: 'green' })).toThrow(
      'BRAND_PRIMARY_COLOR="green" is invalid: must be a colour as #rrggbb, e.g. #0b7a4b',
    );
    expect(() => loadConfig({ BRAND_PRIMARY_COLOR: '#0b7a4' })).toThrow(/^BRAND_PRIMARY_COLOR=/);
    expect(() => loadConfig({ BRAND_LOGO_URL: 'http://cdn.example.com/logo.png' })).toThrow(
      'BRAND_LOGO_URL="http://cdn.example.com/logo.png" is invalid: must be an https:// URL of an image',
    );
    expect(() => loadConfig({ BRAND_SUPPORT_EMAIL: 'support' })).toThrow(/^BRAND_SUPPORT_EMAIL=/);
    expect(() => loadConfig({ EMAIL_DEFAULT_LOCALE: 'english please' })).toThrow(
      'EMAIL_DEFAULT_LOCALE="english please" is invalid: must be a BCP 47 language tag, e.g. en-KE',
    );
  });
});
