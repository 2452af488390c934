import { Command } from 'commander';
import { contextOf, given } from '../context.js';
import { printRecord, type Column } from '../output.js';
import { listAction, withPaging } from './paging.js';

const FIELDS = 'id externalId email name phone status locale createdAt';

interface CustomerRow {
  id: string;
  externalId: string | null;
  email: string;
  name: string;
  phone: string | null;
  status: string;
  createdAt: string;
}

const COLUMNS: Column<CustomerRow>[] = [
  { header: 'ID', value: (c) => c.id },
  { header: 'EXTERNAL ID', value: (c) => c.externalId },
  { header: 'EMAIL', value: (c) => c.email },
  { header: 'NAME', value: (c) => c.name },
  { header: 'PHONE', value: (c) => c.phone },
  { header: 'STATUS', value: (c) => c.status },
];

interface CustomerFields {
  email?: string;
  name?: string;
  phone?: string;
  externalId?: string;
  locale?: string;
}

function withCustomerFields(command: Command, required: boolean): Command {
  const email = '--email <email>';
  const name = '--name <name>';
  if (required) command.requiredOption(email, 'email address').requiredOption(name, 'full name');
  else command.option(email, 'email address').option(name, 'full name');
  return command
    .option('--phone <phone>', 'E.164 phone (+254712345678; 0712345678 in Kenya)')
    .option('--external-id <id>', "your system's id for the customer (unique)")
    .option('--locale <locale>', 'BCP 47 locale, e.g. en-KE');
}

export function customersCommand(): Command {
  const customers = new Command('customers').description('list, show, create, update and delete customers');

  withPaging(
    customers
      .command('list')
      .description('customers, newest first')
      .option('--email <email>', 'exactly this email')
      .option('--external-id <id>', 'exactly this external id')
      .option('--status <status>', 'ACTIVE or SUSPENDED')
      .option('--search <text>', 'name or email containing this')
      .option('--phone <digits>', 'phone number, or 3+ digits of one'),
  ).action(
    listAction<CustomerRow>({
      field: 'customers',
      filterType: 'CustomerFilter',
      fields: FIELDS,
      columns: COLUMNS,
      filter: (options) => ({
        email: options.email,
        externalId: options.externalId,
        status: options.status,
        search: options.search,
        phone: options.phone,
      }),
    }),
  );

  customers
    .command('show')
    .description('one customer with its subscriptions and credit balance')
    .argument('<id>', 'customer id')
    .action(async (id: string, _options: unknown, command: Command) => {
      const { client, format } = await contextOf(command);
      const { customer } = await client.request<{ customer: Record<string, unknown> }>(
        `query ($id: ID!) { customer(id: $id) {
          ${FIELDS} creditBalance { formatted }
          subscriptions { id status plan { name } currentPeriodEnd }
        } }`,
        { id },
      );
      const subscriptions = customer.subscriptions as { id: string; status: string; plan: { name: string } }[];
      printRecord(
        {
          ...customer,
          subscriptions: subscriptions.map((s) => `${s.id} ${s.status} ${s.plan.name}`),
        },
        format,
        customer,
      );
    });

  withCustomerFields(customers.command('create').description('create a customer'), true).action(
    async (options: CustomerFields, command: Command) => {
      const { client, format } = await contextOf(command);
      const { createCustomer } = await client.request<{ createCustomer: Record<string, unknown> }>(
        `mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) { ${FIELDS} } }`,
        { input: given({ ...options }) },
      );
      printRecord(createCustomer, format);
    },
  );

  withCustomerFields(
    customers.command('update').description('change only the fields given').argument('<id>', 'customer id'),
    false,
  ).action(async (id: string, options: CustomerFields, command: Command) => {
    const { client, format } = await contextOf(command);
    const { updateCustomer } = await client.request<{ updateCustomer: Record<string, unknown> }>(
      `mutation ($input: UpdateCustomerInput!) { updateCustomer(input: $input) { ${FIELDS} } }`,
      { input: { id, ...given({ ...options }) } },
    );
    printRecord(updateCustomer, format);
  });

  customers
    .command('delete')
    .description('delete a customer (refused while it has live subscriptions)')
    .argument('<id>', 'customer id')
    .action(async (id: string, _options: unknown, command: Command) => {
      const { client, format } = await contextOf(command);
      const { deleteCustomer } = await client.request<{ deleteCustomer: Record<string, unknown> }>(
        `mutation ($id: ID!) { deleteCustomer(id: $id) { id email deletedAt } }`,
        { id },
      );
      printRecord(deleteCustomer, format);
    });

  return customers;
}
