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
import { Migration20261211000000_invoice_settlement } from './Migration20261211000000_invoice_settlement.js';
import { Migration20261211100000_refunds } from './Migration20261211100000_refunds.js';
import { Migration20261211200000_credit_notes } from './Migration20261211200000_credit_notes.js';
import { Migration20261211400000_money_movements } from './Migration20261211400000_money_movements.js';
import { Migration20261211500000_one_off_invoices } from './Migration20261211500000_one_off_invoices.js';
import { Migration20261211600000_ledger_refunds } from './Migration20261211600000_ledger_refunds.js';
import { Migration20261212000000_b2c_refunds } from './Migration20261212000000_b2c_refunds.js';
import { Migration20261211900000_delivery_turns } from './Migration20261211900000_delivery_turns.js';
import { Migration20261211800000_paybill_payments } from './Migration20261211800000_paybill_payments.js';
import { Migration20261211700000_correction_events } from './Migration20261211700000_correction_events.js';
import { Migration20261212100000_tax_categories } from './Migration20261212100000_tax_categories.js';
import { Migration20261212110000_etims_receipts } from './Migration20261212110000_etims_receipts.js';
import { Migration20261212200000_etims_submissions } from './Migration20261212200000_etims_submissions.js';
import { Migration20261212300000_ratiba_standing_orders } from './Migration20261212300000_ratiba_standing_orders.js';
import { Migration20261213000000_item_classification_codes } from './Migration20261213000000_item_classification_codes.js';

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
  { name: 'Migration20261211000000_invoice_settlement', class: Migration20261211000000_invoice_settlement },
  { name: 'Migration20261211100000_refunds', class: Migration20261211100000_refunds },
  { name: 'Migration20261211200000_credit_notes', class: Migration20261211200000_credit_notes },
  { name: 'Migration20261211400000_money_movements', class: Migration20261211400000_money_movements },
  { name: 'Migration20261211500000_one_off_invoices', class: Migration20261211500000_one_off_invoices },
  { name: 'Migration20261211600000_ledger_refunds', class: Migration20261211600000_ledger_refunds },
  { name: 'Migration20261211700000_correction_events', class: Migration20261211700000_correction_events },
  { name: 'Migration20261211800000_paybill_payments', class: Migration20261211800000_paybill_payments },
  { name: 'Migration20261211900000_delivery_turns', class: Migration20261211900000_delivery_turns },
  { name: 'Migration20261212000000_b2c_refunds', class: Migration20261212000000_b2c_refunds },
  { name: 'Migration20261212100000_tax_categories', class: Migration20261212100000_tax_categories },
  { name: 'Migration20261212110000_etims_receipts', class: Migration20261212110000_etims_receipts },
  { name: 'Migration20261212200000_etims_submissions', class: Migration20261212200000_etims_submissions },
  {
    name: 'Migration20261212300000_ratiba_standing_orders',
    class: Migration20261212300000_ratiba_standing_orders,
  },
  {
    name: 'Migration20261213000000_item_classification_codes',
    class: Migration20261213000000_item_classification_codes,
  },
];
