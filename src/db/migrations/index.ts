// Migrations are listed explicitly (no folder scanning), so the compiled build and the tests run the same set.
// Append new ones; never edit one that has shipped.
import { Migration20261121000000_initial } from './Migration20261121000000_initial.js';
import { Migration20261121010000_accounts_catalog } from './Migration20261121010000_accounts_catalog.js';
import { Migration20261121020000_payments } from './Migration20261121020000_payments.js';
import { Migration20261121030000_webhook_events } from './Migration20261121030000_webhook_events.js';
import { Migration20261121040000_payment_methods } from './Migration20261121040000_payment_methods.js';
import { Migration20261121050000_coupon_redemptions } from './Migration20261121050000_coupon_redemptions.js';
import { Migration20261121060000_cancellation } from './Migration20261121060000_cancellation.js';
import { Migration20261121070000_minute_interval } from './Migration20261121070000_minute_interval.js';
import { Migration20261121080000_pause } from './Migration20261121080000_pause.js';
import { Migration20261121090000_plan_changes } from './Migration20261121090000_plan_changes.js';
import { Migration20261121100000_outbox_delivery } from './Migration20261121100000_outbox_delivery.js';
import { Migration20261121110000_report_indexes } from './Migration20261121110000_report_indexes.js';
import { Migration20261121120000_customer_credits } from './Migration20261121120000_customer_credits.js';
import { Migration20261121130000_audit_dedupe } from './Migration20261121130000_audit_dedupe.js';
import { Migration20261203100000_payment_phone_digest } from './Migration20261203100000_payment_phone_digest.js';
import { Migration20261203110000_webhook_transmission_id } from './Migration20261203110000_webhook_transmission_id.js';
import { Migration20261203120000_live_event_triggers } from './Migration20261203120000_live_event_triggers.js';
import { Migration20261204100000_hosted_sessions } from './Migration20261204100000_hosted_sessions.js';
import { Migration20261205100000_entitlement_events } from './Migration20261205100000_entitlement_events.js';
import { Migration20261206200000_api_key_events } from './Migration20261206200000_api_key_events.js';
import { Migration20261206100000_admin_overview_indexes } from './Migration20261206100000_admin_overview_indexes.js';
import { Migration20261206110000_admin_search_indexes } from './Migration20261206110000_admin_search_indexes.js';
import { Migration20261206120000_operations_indexes } from './Migration20261206120000_operations_indexes.js';
import { Migration20261206130000_overview_covering_indexes } from './Migration20261206130000_overview_covering_indexes.js';
import { Migration20261210100000_events_out } from './Migration20261210100000_events_out.js';

export const migrations = [
  { name: 'Migration20261121000000_initial', class: Migration20261121000000_initial },
  { name: 'Migration20261121010000_accounts_catalog', class: Migration20261121010000_accounts_catalog },
  { name: 'Migration20261121020000_payments', class: Migration20261121020000_payments },
  { name: 'Migration20261121030000_webhook_events', class: Migration20261121030000_webhook_events },
  { name: 'Migration20261121040000_payment_methods', class: Migration20261121040000_payment_methods },
  { name: 'Migration20261121050000_coupon_redemptions', class: Migration20261121050000_coupon_redemptions },
  { name: 'Migration20261121060000_cancellation', class: Migration20261121060000_cancellation },
  { name: 'Migration20261121070000_minute_interval', class: Migration20261121070000_minute_interval },
  { name: 'Migration20261121080000_pause', class: Migration20261121080000_pause },
  { name: 'Migration20261121090000_plan_changes', class: Migration20261121090000_plan_changes },
  { name: 'Migration20261121100000_outbox_delivery', class: Migration20261121100000_outbox_delivery },
  { name: 'Migration20261121110000_report_indexes', class: Migration20261121110000_report_indexes },
  { name: 'Migration20261121120000_customer_credits', class: Migration20261121120000_customer_credits },
  { name: 'Migration20261121130000_audit_dedupe', class: Migration20261121130000_audit_dedupe },
  { name: 'Migration20261203100000_payment_phone_digest', class: Migration20261203100000_payment_phone_digest },
  { name: 'Migration20261203110000_webhook_transmission_id', class: Migration20261203110000_webhook_transmission_id },
  { name: 'Migration20261203120000_live_event_triggers', class: Migration20261203120000_live_event_triggers },
  { name: 'Migration20261204100000_hosted_sessions', class: Migration20261204100000_hosted_sessions },
  { name: 'Migration20261205100000_entitlement_events', class: Migration20261205100000_entitlement_events },
  { name: 'Migration20261206200000_api_key_events', class: Migration20261206200000_api_key_events },
  { name: 'Migration20261206100000_admin_overview_indexes', class: Migration20261206100000_admin_overview_indexes },
  { name: 'Migration20261206110000_admin_search_indexes', class: Migration20261206110000_admin_search_indexes },
  { name: 'Migration20261206120000_operations_indexes', class: Migration20261206120000_operations_indexes },
  {
    name: 'Migration20261206130000_overview_covering_indexes',
    class: Migration20261206130000_overview_covering_indexes,
  },
  { name: 'Migration20261210100000_events_out', class: Migration20261210100000_events_out },
];
