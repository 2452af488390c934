// Type-only import: the renderer stays free of the billing module's database code, and the Record below still
// stops compiling when a reason is added without words for it.
import type { EndReason } from '../../billing/changes/endSubscription.js';
import { EmailTemplateError } from '../renderError.js';
import type { TemplateValues } from '../renderValues.js';

/** Why a subscription ended, finishing the sentence "Your subscription ended on <date>, …". */
const BECAUSE: Readonly<Record<EndReason, string>> = {
  CANCELED_BY_REQUEST: 'as you asked',
  CANCELED_AT_PERIOD_END: 'at the end of its billing period, as you asked',
  PAYMENT_FAILED: 'because we could not collect the payment after several attempts',
  FIRST_PAYMENT_EXPIRED: 'because the first payment was not completed in time',
  TRIAL_ENDED_WITHOUT_PAYMENT_METHOD: 'because the free trial ended without a payment method',
};

/** The payload's `reason` in words; refused when it is not a reason the templates can explain. */
export function endReasonText(values: TemplateValues): string {
  const reason = values.text('reason');
  if (!Object.hasOwn(BECAUSE, reason)) {
    throw new EmailTemplateError(
      `${values.kind}: the variable "reason" has an unknown value ${JSON.stringify(reason)}`,
    );
  }
  return BECAUSE[reason as EndReason];
}
