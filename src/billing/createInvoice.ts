// A one-off invoice: a charge outside any subscription (a setup fee, a consultation, a payment an app asks its
// customer for). It is numbered with the others, taxed like them, and paid first from the customer's balance. Then it
// is collected the way the caller chose: AUTOMATIC charges the given payment method at once through its own workflow
// (`invoice-<id>`, src/workflows/oneOffInvoice.ts), which retries soft declines until the due date; SEND emails it
// for the customer to pay (by an offline payment, or `payInvoice` once a method is on it). The caller's idempotency
// key creates one invoice however often the request is sent; sending it again also restarts a collection that a
// lost connection to Temporal left unstarted.
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { recordAudit } from '../audit/recordAudit.js';
import { minorUnitAmount } from '../catalog/createPlan.js';
import { isCurrencyCode } from '../domain/money.js';
import type { TaxSettings } from '../domain/tax.js';
import { Customer, Invoice, InvoiceLine } from '../entities/index.js';
import { InvoiceCollectionEnum } from '../entities/Invoice.js';
import { actorOf, ownCustomerOf, type Caller } from '../kernel/caller.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors.js';
import { requireScope, visibleCustomers } from '../kernel/policy.js';
import { parseInput } from '../kernel/validate.js';
import { queueNotice } from '../notices/queueNotice.js';
import { collectionWindowMs } from '../payments/payInvoice.js';
import {
  labelOf,
  paymentMethodFrom,
  paymentMethodSchema,
  providerOf,
  sealingContext,
  sealMethod,
} from '../payments/paymentMethods.js';
import type { FieldCipher } from '../security/fieldCipher.js';
import type { SubscriptionLifecycle } from '../temporal/subscriptionLifecycle.js';
import { applyCredit, lockCreditBalance } from './changes/customerCredit.js';
import { nextInvoiceNumber } from './changes/invoiceNumbers.js';
import { markPaidIfSettled } from './changes/settleInvoice.js';
import { taxClassColumns, taxClassFields } from '../catalog/taxClassInput.js';
import { taxLines } from './taxLines.js';

export const invoiceItemSchema = z.object({
  description: z.string().trim().min(1, 'must say what is charged').max(500, 'must be at most 500 characters'),
  quantity: z
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(10_000, 'must be at most 10000')
    .default(1),
  unitAmount: minorUnitAmount
    .min(1, 'must be above 0')
    .describe('Per unit, in minor units (e.g. 150000 for KES 1,500.00).'),
  ...taxClassFields,
});

export const createInvoiceSchema = z.object({
  customerId: z.string().uuid('must be a customer id (UUID)'),
  currency: z.string().refine(isCurrencyCode, 'must be an ISO 4217 currency code in capitals, e.g. KES or USD'),
  description: z
    .string()
    .trim()
    .min(1, 'must say what the invoice is for')
    .max(140, 'must be at most 140 characters')
    .describe('What it is for, as the customer sees it (the M-Pesa prompt and the PayPal order show it too).'),
  lines: z.array(invoiceItemSchema).min(1, 'must have at least one line').max(50, 'must have at most 50 lines'),
  dueDate: z.date().nullish().describe('Collected until then; defaults to 7 days from now.'),
  collect: z.enum(['AUTOMATIC', 'SEND']).describe('AUTOMATIC: charge paymentMethod now. SEND: email it to be paid.'),
  paymentMethod: paymentMethodSchema.nullish().describe('Required with AUTOMATIC: the M-Pesa phone, or PayPal.'),
  idempotencyKey: z.string().trim().min(8, 'must be at least 8 characters').max(200, 'must be at most 200 characters'),
});
export type CreateInvoiceInput = z.input<typeof createInvoiceSchema>;

const DEFAULT_DUE_MS = 7 * 24 * 60 * 60 * 1000;

export interface CreateInvoiceDependencies {
  lifecycle: Pick<SubscriptionLifecycle, 'collectOneOff'>;
  cipher: FieldCipher;
  tax: TaxSettings;
}

export async function createInvoice(
  rootEm: EntityManager,
  caller: Caller,
  deps: CreateInvoiceDependencies,
  input: CreateInvoiceInput,
  now: Date = new Date(),
): Promise<Invoice> {
  requireScope(caller, 'write:invoices');
  // A customer's write:invoices is for paying its own invoices; billing itself is for apps and administrators.
  if (ownCustomerOf(caller))
    throw new ForbiddenError('customers pay invoices; an app or an administrator creates them');
  const data = parseInput(createInvoiceSchema, input);
  // Keys are the caller's own: two apps that both send "retry-1" mean two different requests.
  const { actorType, actorId } = actorOf(caller);
  const idempotencyKey = `${actorType}:${actorId}:${data.idempotencyKey}`;
  const dueAt = data.dueDate ?? new Date(now.getTime() + DEFAULT_DUE_MS);
  if (dueAt.getTime() <= now.getTime()) throw new ValidationError({ 'input.dueDate': 'must be in the future' });
  if (data.collect === 'AUTOMATIC' && !data.paymentMethod) {
    throw new ValidationError({ 'input.paymentMethod': 'is required to collect AUTOMATIC; or collect: SEND' });
  }
  const method = data.paymentMethod
    ? paymentMethodFrom(data.paymentMethod, data.currency, 'input.paymentMethod')
    : null;

  const write = () =>
    rootEm.fork().transactional(async (em) => {
      const customer = await em.findOne(Customer, visibleCustomers(caller, { id: data.customerId }));
      if (!customer) throw new NotFoundError('Customer', data.customerId);
      // Invoices created before keys were the caller's own carry the key as sent.
      const earlier = await em.findOne(Invoice, {
        idempotencyKey: { $in: [idempotencyKey, data.idempotencyKey] },
        customer: visibleCustomers(caller),
      });
      if (earlier) {
        if (earlier.customer.id !== customer.id) {
          throw new ConflictError(
            'this idempotency key already created an invoice for another customer',
            'input.idempotencyKey',
          );
        }
        return earlier;
      }
      return writeOneOff(em, caller, customer, { ...data, idempotencyKey }, method, dueAt, now, deps);
    });
  const invoice = await write().catch((error: Error) => {
    // The same key raced in from a concurrent request: answer with the winner's invoice.
    if (error.name === 'UniqueConstraintViolationException') return write();
    throw error;
  });
  if (invoice.collection === 'AUTOMATIC' && invoice.status === 'OPEN') {
    await deps.lifecycle.collectOneOff(invoice.id, collectionWindowMs(invoice, now));
  }
  return invoice;
}

async function writeOneOff(
  em: EntityManager,
  caller: Caller,
  customer: Customer,
  data: z.output<typeof createInvoiceSchema>,
  method: ReturnType<typeof paymentMethodFrom> | null,
  dueAt: Date,
  now: Date,
  deps: CreateInvoiceDependencies,
): Promise<Invoice> {
  const items = data.lines.map((line) => ({ ...line, amount: line.quantity * line.unitAmount }));
  const classes = items.map((item, index) => {
    if (!Number.isSafeInteger(item.amount)) {
      throw new ValidationError({ [`input.lines.${index}`]: 'quantity × unitAmount is too large' });
    }
    const tax = taxClassColumns(item);
    if (typeof tax === 'string') throw new ValidationError({ [`input.lines.${index}.taxRateBasisPoints`]: tax });
    return tax.taxCategory ? { category: tax.taxCategory, rateBasisPoints: tax.taxRateBasisPoints ?? 0 } : null;
  });
  // A one-off item belongs to no plan: it names its tax category, or the global setting taxes it (an exempt
  // customer pays none either way).
  const taxed = taxLines(
    items.map(({ taxCategory: _c, taxRateBasisPoints: _r, ...item }, index) => ({
      kind: 'ITEM' as const,
      ...item,
      taxClass: classes[index]!,
    })),
    customer,
    deps.tax,
    data.currency,
  );
  // The credit lock before the number (see lockCreditBalance): the number's lock is held from here to the commit.
  const balance = await lockCreditBalance(em, customer.id, data.currency);
  const { total } = taxed;
  const invoice = em.create(Invoice, {
    kind: 'ONE_OFF',
    number: await nextInvoiceNumber(em, now),
    subscription: null,
    customer,
    status: 'OPEN',
    periodIndex: 0,
    // A one-off invoice covers no period: its "period" is from issue to due date.
    periodStart: now,
    periodEnd: dueAt,
    currency: data.currency,
    subtotal: items.reduce((sum, item) => sum + item.amount, 0),
    total,
    amountDue: total,
    issuedAt: now,
    dueAt,
    collection: InvoiceCollectionEnum[data.collect],
    description: data.description,
    idempotencyKey: data.idempotencyKey,
  });
  if (method) {
    invoice.paymentProvider = providerOf(method);
    invoice.paymentMethodSealed = sealMethod(deps.cipher, method, sealingContext.invoice(invoice.id));
  }
  [...taxed.lines, ...taxed.taxLines].forEach((line, index) =>
    em.create(InvoiceLine, { invoice, position: index + 1, periodStart: now, periodEnd: dueAt, ...line }),
  );
  await applyCredit(em, invoice, balance);
  // Paid in full from the balance: settled now, nothing to collect or send.
  markPaidIfSettled(invoice, null, now);
  recordAudit(em, caller, 'invoice.created', 'Invoice', invoice.id, {
    kind: 'ONE_OFF',
    collect: data.collect,
    total,
    currency: data.currency,
    paymentMethod: method ? labelOf(method) : null,
  });
  if (data.collect === 'SEND' && invoice.status === 'OPEN') {
    await queueNotice(em, {
      kind: 'invoice_issued',
      dedupeKey: `invoice_issued:${invoice.id}`,
      subscriptionId: null,
      customerId: customer.id,
      payload: {
        invoiceId: invoice.id,
        invoiceNumber: invoice.number,
        amount: invoice.amountDue,
        currency: invoice.currency,
        dueAt: dueAt.toISOString(),
      },
    });
  }
  await em.flush();
  return invoice;
}
