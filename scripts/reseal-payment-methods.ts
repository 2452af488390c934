// `npm run keys:reseal`: re-seals stored payment methods with the first key of DATA_ENCRYPTION_KEYS, the step of a
// key rotation between adding the new key and removing the old one (docs/operations.md). Safe to stop and re-run.
import { loadConfigOrExit } from '../src/config.js';
import { createOrm } from '../src/db/orm.js';
import { FieldCipher } from '../src/security/fieldCipher.js';
import { resealPaymentMethods } from '../src/security/resealPaymentMethods.js';

const config = loadConfigOrExit();
const orm = createOrm(config.database);
try {
  const report = await resealPaymentMethods(orm.em, new FieldCipher(config.payments.keyring), {
    onUnreadable: (table, id, reason) => console.warn(`unreadable: ${table} ${id}: ${reason}`),
  });
  for (const [table, counts] of Object.entries(report)) {
    console.log(`${table}: scanned ${counts.scanned}, resealed ${counts.resealed}, unreadable ${counts.unreadable}`);
  }
  const unreadable = report.subscriptions.unreadable + report.payments.unreadable;
  if (unreadable > 0) {
    console.warn(
      `${unreadable} value(s) do not open with DATA_ENCRYPTION_KEYS: bring back the key that sealed them, or ask those customers to enter their payment method again`,
    );
  }
} catch (error) {
  console.error(`re-sealing failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await orm.close();
}
