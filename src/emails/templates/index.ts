import type { EmailKind } from '../render.js';
import { actionRequired } from './actionRequired.js';
import { balancePaymentReceived } from './balancePaymentReceived.js';
import { creditNoteIssued } from './creditNoteIssued.js';
import type { EmailTemplate } from './layout.js';
import { invoiceIssued } from './invoiceIssued.js';
import { passwordReset } from './passwordReset.js';
import { paymentFailed } from './paymentFailed.js';
import { paymentReceipt } from './paymentReceipt.js';
import { planChanged } from './planChanged.js';
import { refundSucceeded } from './refundSucceeded.js';
import { renewalReminder } from './renewalReminder.js';
import { subscriptionCanceled } from './subscriptionCanceled.js';
import { subscriptionExpired } from './subscriptionExpired.js';
import { subscriptionPaused } from './subscriptionPaused.js';
import { subscriptionResumed } from './subscriptionResumed.js';
import { subscriptionStarted } from './subscriptionStarted.js';
import { standingOrderOutdated } from './standingOrderOutdated.js';
import { subscriptionUnpaid } from './subscriptionUnpaid.js';
import { trialEnding } from './trialEnding.js';
import { webhookEndpointFailing } from './webhookEndpointFailing.js';
import { welcomeVerifyEmail } from './welcomeVerifyEmail.js';

/** One template per kind: a new EmailKind (or notice kind) does not compile until it has one. */
export const TEMPLATES: Readonly<Record<EmailKind, EmailTemplate>> = {
  welcome_verify_email: welcomeVerifyEmail,
  password_reset: passwordReset,
  subscription_started: subscriptionStarted,
  trial_ending: trialEnding,
  renewal_reminder: renewalReminder,
  invoice_issued: invoiceIssued,
  payment_receipt: paymentReceipt,
  balance_payment_received: balancePaymentReceived,
  credit_note_issued: creditNoteIssued,
  payment_failed: paymentFailed,
  refund_succeeded: refundSucceeded,
  standing_order_outdated: standingOrderOutdated,
  action_required: actionRequired,
  subscription_paused: subscriptionPaused,
  subscription_resumed: subscriptionResumed,
  plan_changed: planChanged,
  subscription_canceled: subscriptionCanceled,
  subscription_unpaid: subscriptionUnpaid,
  subscription_expired: subscriptionExpired,
  webhook_endpoint_failing: webhookEndpointFailing,
};
