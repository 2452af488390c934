// What the account a customer typed when paying the paybill names: one of our invoices (its M-Pesa reference or its
// printed number), a customer's account number, or nothing we know. Any case, spaces and dashes ignored.
import type { EntityManager } from '@mikro-orm/postgresql';
import { Customer, Invoice } from '../../entities/index.js';
import { compactReference, invoiceNumbersFor } from '../mpesa/chargeTexts.js';

export type PaybillTarget =
  { kind: 'invoice'; invoice: Invoice } | { kind: 'account'; customer: Customer } | { kind: 'none'; reason: string };

const ACCOUNT_NUMBER = /^ACC\d{6,}$/;

export async function paybillTarget(em: EntityManager, typed: string): Promise<PaybillTarget> {
  const compact = compactReference(typed);
  if (!compact) return { kind: 'none', reason: 'no account was given' };
  if (ACCOUNT_NUMBER.test(compact)) {
    const customer = await em.findOne(Customer, { accountNumber: compact });
    return customer ? { kind: 'account', customer } : { kind: 'none', reason: `no customer has account ${compact}` };
  }
  const numbers = invoiceNumbersFor(compact);
  const invoices = numbers.length ? await em.find(Invoice, { number: { $in: numbers } }) : [];
  if (invoices.length === 1) return { kind: 'invoice', invoice: invoices[0]! };
  if (invoices.length > 1) return { kind: 'none', reason: `account ${compact} could be ${numbers.join(' or ')}` };
  return { kind: 'none', reason: `account ${compact} names no invoice or customer account` };
}

/** Whether money can go to this invoice now: open (or written off) and owing something. */
export function owesMoney(invoice: Invoice): boolean {
  return (invoice.status === 'OPEN' || invoice.status === 'UNCOLLECTIBLE') && invoice.amountRemaining > 0;
}
