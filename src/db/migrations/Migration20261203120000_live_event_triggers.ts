import { Migration } from '@mikro-orm/migrations';

/**
 * Live events (src/events/billingEvents.ts) are announced by the database itself: every committed insert or change
 * of a subscription, invoice or payment row NOTIFYs `billing_events` from a trigger, in the transaction that makes
 * it. Code that changes a status can no longer forget to announce it (trial end, renewals, dunning, expiry, resume,
 * plan changes, an operator's fix in SQL), and a rolled-back change is never announced, since Postgres delivers a
 * NOTIFY only on commit. Updates that change nothing (`OLD = NEW`) announce nothing. Each event names its transaction
 * (`tx`), so a subscriber told about several rows of one change (an invoice issued and the subscription it makes
 * ACTIVE) sends the client one update, not several identical ones.
 */
export class Migration20261203120000_live_event_triggers extends Migration {
  override async up(): Promise<void> {
    this.addSql(notifyFunction('billing_notify_subscription', 'subscription', { subscriptionId: 'id' }));
    this.addSql(
      notifyFunction('billing_notify_invoice', 'invoice', { invoiceId: 'id', subscriptionId: 'subscription_id' }),
    );
    this.addSql(notifyFunction('billing_notify_payment', 'payment', { paymentId: 'id', invoiceId: 'invoice_id' }));
    for (const [table, fn] of [
      ['subscriptions', 'billing_notify_subscription'],
      ['invoices', 'billing_notify_invoice'],
      ['payments', 'billing_notify_payment'],
    ]) {
      this.addSql(`create trigger "${table}_notify_insert" after insert on "${table}"
        for each row execute function "${fn}"();`);
      this.addSql(`create trigger "${table}_notify_update" after update on "${table}"
        for each row when (old.* is distinct from new.*) execute function "${fn}"();`);
    }
  }

  override async down(): Promise<void> {
    for (const table of ['subscriptions', 'invoices', 'payments']) {
      this.addSql(`drop trigger if exists "${table}_notify_insert" on "${table}";`);
      this.addSql(`drop trigger if exists "${table}_notify_update" on "${table}";`);
    }
    for (const fn of ['billing_notify_subscription', 'billing_notify_invoice', 'billing_notify_payment']) {
      this.addSql(`drop function if exists "${fn}"();`);
    }
  }
}

/** A trigger function that NOTIFYs `kind`, the row's ids (`ids`: event key -> column), customer, status and tx. */
function notifyFunction(name: string, kind: string, ids: Record<string, string>): string {
  const fields = Object.entries(ids).map(([key, column]) => `'${key}', new.${column}`);
  return `create or replace function "${name}"() returns trigger language plpgsql as $$
    begin
      perform pg_notify('billing_events', json_build_object('kind', '${kind}', ${fields.join(', ')},
        'customerId', new.customer_id, 'status', new.status, 'tx', txid_current()::text)::text);
      return null;
    end $$;`;
}
