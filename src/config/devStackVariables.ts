// The developer stack's settings: what only `npm start` (scripts/start.ts) and the tests read to run the whole stack
// on one machine (dev mailbox, sandboxes, embedded Postgres, Temporal dev server, seed). A deployment sets none of
// them. The README documents each in its own table.
import { z } from 'zod';
import { port, postgresUrl } from './schemas.js';

export const devStackVariables = {
  TEMPORAL_UI_PORT: { schema: port, default: '8233' },
  TEMPORAL_CLI_PATH: {
    schema: z.string().min(1),
    default: undefined,
  },
  TEMPORAL_TEST_SERVER_PATH: {
    schema: z.string().min(1),
    default: undefined,
  },
  SEED_ADMIN_EMAIL: {
    schema: z.string().email('must be an email address'),
    default: 'admin@example.com',
  },
  SEED_ADMIN_PASSWORD: {
    schema: z.string().min(10, 'must be at least 10 characters'),
    default: undefined,
  },
  MAILDEV_SMTP_PORT: { schema: port, default: '1025' },
  MAILDEV_WEB_PORT: { schema: port, default: '1080' },
  MPESA_SANDBOX_PORT: {
    schema: port,
    default: '4010',
  },
  MPESA_SANDBOX_DUPLICATE_WINDOW_SECONDS: {
    schema: z.coerce
      .number({ error: 'must be a whole number of seconds, 0 or more' })
      .int('must be a whole number of seconds, 0 or more')
      .min(0, 'must be a whole number of seconds, 0 or more'),
    default: undefined,
  },
  PAYPAL_SANDBOX_PORT: {
    schema: port,
    default: '4020',
  },
  ETIMS_SANDBOX_PORT: {
    schema: port,
    default: '4030',
  },
  DATA_DIR: {
    schema: z.string().min(1),
    default: '.data',
  },
  EMBEDDED_POSTGRES_PORT: {
    schema: port,
    default: '54329',
  },
  /** Read by the tests (test/support/config.ts), which create it themselves. */
  TEST_DATABASE_URL: { schema: postgresUrl, default: 'postgres://postgres@127.0.0.1:5432/billing_test' },
} as const;
