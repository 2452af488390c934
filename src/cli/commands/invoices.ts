import { Command } from 'commander';
import { contextOf } from '../context.js';
import { printRecord, type Column } from '../output.js';
import { listAction, withPaging } from './paging.js';

const FIELDS = `id number kind status collection issuedAt dueAt paidAt total { formatted } amountRemaining { formatted }
  customer { id email }`;

interface InvoiceRow {
  id: string;
  number: string;
  status: string;
  dueAt: string;
  total: { formatted: string };
  amountRemaining: { formatted: string };
  customer: { id: string; email: string };
}

const COLUMNS: Column<InvoiceRow>[] = [
  { header: 'ID', value: (i) => i.id },
  { header: 'NUMBER', value: (i) => i.number },
  { header: 'STATUS', value: (i) => i.status },
  { header: 'CUSTOMER', value: (i) => i.customer.email },
  { header: 'TOTAL', value: (i) => i.total },
  { header: 'REMAINING', value: (i) => i.amountRemaining },
  { header: 'DUE', value: (i) => i.dueAt },
];

function flat(invoice: Record<string, unknown>) {
  const { customer, ...rest } = invoice as unknown as InvoiceRow & Record<string, unknown>;
  return { ...rest, customer: `${customer.email} (${customer.id})` };
}

export function invoicesCommand(): Command {
  const invoices = new Command('invoices').description('list and show invoices, pay one now');

  withPaging(
    invoices
      .command('list')
      .description('invoices, newest first')
      .option('--status <status>', 'DRAFT, OPEN, PAID, VOID or UNCOLLECTIBLE')
      .option('--customer <id>', 'customer id')
      .option('--subscription <id>', 'subscription id')
      .option('--number <number>', 'invoice number')
      .option('--currency <code>', 'e.g. KES'),
  ).action(
    listAction<InvoiceRow>({
      field: 'invoices',
      filterType: 'InvoiceFilter',
      fields: FIELDS,
      columns: COLUMNS,
      filter: (options) => ({
        status: options.status,
        customerId: options.customer,
        subscriptionId: options.subscription,
        number: options.number,
        currency: options.currency,
      }),
    }),
  );

  invoices
    .command('show')
    .description('one invoice with its lines and links')
    .argument('<id>', 'invoice id')
    .action(async (id: string, _options: unknown, command: Command) => {
      const { client, format } = await contextOf(command);
      const { invoice } = await client.request<{ invoice: Record<string, unknown> }>(
        `query ($id: ID!) { invoice(id: $id) { ${FIELDS} htmlUrl pdfUrl lines { description amount { formatted } } } }`,
        { id },
      );
      const lines = invoice.lines as { description: string; amount: { formatted: string } }[];
      printRecord(
        { ...flat(invoice), lines: lines.map((l) => `${l.description} ${l.amount.formatted}`) },
        format,
        invoice,
      );
    });

  invoices
    .command('pay')
    .description("bill now: charge an open invoice with its subscription's payment method")
    .argument('<id>', 'invoice id')
    .action(async (id: string, _options: unknown, command: Command) => {
      const { client, format } = await contextOf(command);
      const { payInvoice } = await client.request<{ payInvoice: Record<string, unknown> }>(
        `mutation ($input: PayInvoiceInput!) { payInvoice(input: $input) { ${FIELDS} } }`,
        { input: { invoiceId: id } },
      );
      printRecord(flat(payInvoice), format, payInvoice);
    });

  return invoices;
}
