// The worker's eTIMS side, built from configuration: null while eTIMS is off (ETIMS_ENABLED), else the loop that
// offers every unsigned invoice to the control unit (docs/tax.md).
import type { EntityManager } from '@mikro-orm/postgresql';
import type { EtimsConfig } from '../../config.js';
import { httpEtims } from './httpEtims.js';
import { startEtimsSubmissionLoop, type EtimsSubmissionLoop } from './etimsSubmissionLoop.js';

/** A control unit that does not answer within this is tried again later; the lease is longer. */
const REQUEST_TIMEOUT_MS = 20_000;

export function etimsSubmissionFor(
  settings: EtimsConfig | null,
  em: EntityManager,
  log: { info(message: string): void; warn(message: string): void },
): EtimsSubmissionLoop | null {
  if (!settings) return null;
  const timedFetch: typeof fetch = (url, init) =>
    fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  log.info(
    `eTIMS: sending invoices issued from ${settings.submitFrom.toISOString().slice(0, 10)} to ${settings.url}` +
      (settings.localSandbox ? ' (the local stand-in)' : ''),
  );
  return startEtimsSubmissionLoop({
    em,
    submission: {
      port: httpEtims(settings, timedFetch),
      sellerPin: settings.tin,
      classificationCode: settings.classificationCode,
    },
    submitFrom: settings.submitFrom,
    leaseSeconds: REQUEST_TIMEOUT_MS / 1000 + 30,
    onError: (error) =>
      log.warn(`eTIMS submission round failed: ${error instanceof Error ? error.message : String(error)}`),
  });
}
