// Log redaction: every secret the configuration knows, logged every way a caller could, never reaches the output;
// nor do emails or Kenyan mobile numbers. The secrets are listed here from the variables, not from
// configSecrets(), so a secret the redaction forgets fails this test.
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '../../../src/config.js';
import type { Logger } from '../../../src/logger.js';
import { processLoggerFor, temporalLogger } from '../../../src/observability/logging.js';

const key = randomBytes(32);
const env = {
  NODE_ENV: 'production',
  LOG_LEVEL: 'debug',
  JWT_SECRET: 'jwt-secret-0123456789-abcdefghijklmnop',
  DATABASE_URL: 'postgres://billing:database-password-42@db.internal:5432/billing',
  SMTP_URL: 'smtps://mailer:smtp-password-77@smtp.example.com:465',
  MPESA_CONSUMER_KEY: 'mpesa-consumer-key-AAAA',
  MPESA_CONSUMER_SECRET: 'mpesa-consumer-secret-BBBB',
  MPESA_PASSKEY: 'mpesa-passkey-CCCCCCCCCCCC',
  MPESA_CALLBACK_SECRET: 'mpesa-callback-secret-DDDD',
  PAYPAL_CLIENT_ID: 'paypal-client-id-EEEE',
  PAYPAL_CLIENT_SECRET: 'paypal-client-secret-FFFF',
  PAYPAL_WEBHOOK_ID: 'WH-0000000000000000',
  DATA_ENCRYPTION_KEYS: `k1:${key.toString('base64')}`,
  METRICS_TOKEN: 'metrics-token-GGGGGGGGGGGG',
  SEED_ADMIN_PASSWORD: 'seed-admin-password-HHHH',
  SEED_ADMIN_EMAIL: 'operator@billing.example.com',
  PUBLIC_URL: 'https://billing.example.com',
};
const secrets = [
  env.JWT_SECRET,
  'database-password-42',
  'smtp-password-77',
  env.MPESA_CONSUMER_KEY,
  env.MPESA_CONSUMER_SECRET,
  env.MPESA_PASSKEY,
  env.MPESA_CALLBACK_SECRET,
  env.PAYPAL_CLIENT_ID,
  env.PAYPAL_CLIENT_SECRET,
  key.toString('base64'),
  key.toString('hex'),
  env.METRICS_TOKEN,
  env.SEED_ADMIN_PASSWORD,
  env.SEED_ADMIN_EMAIL,
];
const personal = ['wanjiku.kamau@example.co.ke', '0712345678', '254712345678', '+254112345678'];

function capturingLogger(): { log: Logger; output: () => string } {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  const log = processLoggerFor(loadConfig(env), 'api', destination);
  return { log, output: () => chunks.join('') };
}

describe('log redaction', () => {
  it('never prints a secret the configuration knows, an email or a phone number, however it is logged', () => {
    const { log, output } = capturingLogger();
    for (const value of [...secrets, ...personal]) {
      log.info(`in the message: ${value} and a URL https://user:${value}@host/path`);
      log.warn('in a field', { detail: value, nested: { deeper: { note: `x ${value} y` } }, list: [value] });
      log.error('in an error', { error: new Error(`failed with ${value}`) });
      log.debug('under a telling key', {
        password: value,
        headers: { authorization: `Bearer ${value}`, 'x-api-key': value },
        request: { body: { phone: value, email: value } },
      });
      temporalLogger(log).info(`from the SDK: ${value}`, { activityType: 'chargeInvoice', input: value });
    }
    const text = output();
    const lines = text.trim().split('\n');
    expect(lines).toHaveLength((secrets.length + personal.length) * 5);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect([...secrets, ...personal].filter((value) => text.includes(value))).toEqual([]);
    expect(text).toContain('[REDACTED]');
  });

  it('keeps what is not secret readable: ids, amounts, codes', () => {
    const { log, output } = capturingLogger();
    log.info('payment recorded', { paymentId: 'f3c9a7a2-5a3e-4d2b-9a51-0c7d1b2e6a10', amount: 150000, code: '1032' });
    const line = JSON.parse(output()) as Record<string, unknown>;
    expect(line).toMatchObject({
      level: 'info',
      msg: 'payment recorded',
      process: 'api',
      paymentId: 'f3c9a7a2-5a3e-4d2b-9a51-0c7d1b2e6a10',
      amount: 150000,
      code: '1032',
    });
  });

  it('drops lines under the configured level', () => {
    const chunks: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk.toString('utf8'));
        done();
      },
    });
    const log = processLoggerFor(loadConfig({ ...env, LOG_LEVEL: 'warn' }), 'worker', destination);
    log.info('not shown');
    log.warn('shown');
    expect(chunks.join('')).not.toContain('not shown');
    expect(JSON.parse(chunks.join(''))).toMatchObject({ level: 'warn', msg: 'shown', process: 'worker' });
  });
});
