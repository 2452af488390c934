// The worker's email side, built from configuration: deliver the outbox over SMTP_URL while the worker runs.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Config } from '../config.js';
import { invoiceLinkSettings } from '../invoices/invoiceLinks.js';
import { paybillShortCode } from '../payments/paybill/paybillShortCode.js';
import { brandFrom } from './brand.js';
import { noticeComposer } from './composeNotice.js';
import { startOutboxDelivery } from './deliverOutbox.js';
import { smtpMailer } from './smtpMailer.js';

/**
 * Null when no SMTP server is configured (production without SMTP_URL): notices then wait in the outbox. Under
 * NODE_ENV=test only an explicit SMTP_URL delivers, so test workers never drain other tests' notices.
 */
export function outboxDeliveryFor(config: Config, em: EntityManager, onError: (error: unknown) => void) {
  if (!config.smtp.url || (config.nodeEnv === 'test' && !config.smtp.explicit)) return null;
  const mailer = smtpMailer(config.smtp.url);
  const delivery = startOutboxDelivery(em, {
    mailer,
    compose: noticeComposer({
      brand: brandFrom(config),
      links: invoiceLinkSettings(config),
      defaultLocale: config.emails.defaultLocale,
      paybillShortCode: paybillShortCode(config.payments),
    }),
    from: config.smtp.from,
    messageIdDomain: new URL(config.payments.publicUrl).hostname,
    onError,
  });
  return {
    async stop() {
      await delivery.stop();
      mailer.close();
    },
  };
}
