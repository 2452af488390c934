import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { issueCreditNote } from '../../creditNotes/issueCreditNote.js';
import { RefundWorkflows } from '../../temporal/refundWorkflows.js';
import { CreditNote, CreditNoteLine, Invoice } from '../../entities/index.js';
import { documentLinks, INVOICE_LINK_LIFETIME_MS } from '../../invoices/invoiceLinks.js';
import { NotFoundError } from '../../kernel/errors.js';
import { requireScope, visibleCustomers } from '../../kernel/policy.js';
import type { GraphQLContext } from '../context.js';
import { IssueCreditNoteInput } from '../types/inputs.js';
import { Money } from '../types/Money.js';

@Resolver(() => CreditNote)
export class CreditNoteResolver {
  @Mutation(() => CreditNote, {
    description:
      'Administrators: issues a numbered credit note on an OPEN or PAID invoice. Its lines first reduce what the ' +
      "invoice still owes (PAID when nothing remains); the rest goes back to the customer's balance, or, for " +
      'refundAmount of it, is refunded through the provider. The customer is emailed the note with its PDF. The same ' +
      'idempotencyKey issues one note.',
  })
  async issueCreditNote(
    @Ctx() { em, caller, lifecycle }: GraphQLContext,
    @Arg('input', () => IssueCreditNoteInput) input: IssueCreditNoteInput,
  ): Promise<CreditNote> {
    const refunds = new RefundWorkflows(lifecycle.client, lifecycle.taskQueue);
    return (await issueCreditNote(em, caller, lifecycle, input, new Date(), refunds)).creditNote;
  }

  @Query(() => CreditNote)
  async creditNote(@Ctx() { em, caller }: GraphQLContext, @Arg('id', () => ID) id: string): Promise<CreditNote> {
    requireScope(caller, 'read:invoices');
    const note = await em.findOne(CreditNote, { id, customer: visibleCustomers(caller) });
    if (!note) throw new NotFoundError('CreditNote', id);
    return note;
  }

  @FieldResolver(() => Money, { description: 'The sum of its lines.' })
  amount(@Root() note: CreditNote): Money {
    return Money.of({ amount: note.amount, currency: note.currency });
  }

  @FieldResolver(() => Money, { description: 'What it took off what the invoice still owed.' })
  reducesRemaining(@Root() note: CreditNote): Money {
    return Money.of({ amount: note.reducesRemaining, currency: note.currency });
  }

  @FieldResolver(() => Money, { description: "Paid money given back as the customer's balance credit." })
  creditedToBalance(@Root() note: CreditNote): Money {
    return Money.of({ amount: note.creditedToBalance, currency: note.currency });
  }

  @FieldResolver(() => Money, { description: 'Paid money given back through the provider.' })
  refundAmount(@Root() note: CreditNote): Money {
    return Money.of({ amount: note.refundAmount, currency: note.currency });
  }

  @FieldResolver(() => [CreditNoteLine])
  lines(@Root() note: CreditNote, @Ctx() { loaders }: GraphQLContext): Promise<CreditNoteLine[]> {
    return loaders.linesByCreditNoteId.load(note.id);
  }

  @FieldResolver(() => Invoice)
  async invoice(@Root() note: CreditNote, @Ctx() { loaders }: GraphQLContext): Promise<Invoice> {
    const invoice = await loaders.invoiceById.load(note.invoice.id);
    if (!invoice) throw new NotFoundError('Invoice', note.invoice.id);
    return invoice;
  }

  @FieldResolver(() => String, { description: 'The note as a web page, through a signed link valid for 7 days.' })
  htmlUrl(@Root() note: CreditNote, @Ctx() { invoiceLinks: settings }: GraphQLContext): string {
    return documentLinks(settings, 'creditNote', note.id, new Date(), INVOICE_LINK_LIFETIME_MS).htmlUrl;
  }

  @FieldResolver(() => String, { description: 'The note as a PDF, through a signed link valid for 7 days.' })
  pdfUrl(@Root() note: CreditNote, @Ctx() { invoiceLinks: settings }: GraphQLContext): string {
    return documentLinks(settings, 'creditNote', note.id, new Date(), INVOICE_LINK_LIFETIME_MS).pdfUrl;
  }
}

@Resolver(() => CreditNoteLine)
export class CreditNoteLineResolver {
  @FieldResolver(() => Money)
  amount(@Root() line: CreditNoteLine, @Ctx() { loaders }: GraphQLContext): Promise<Money> {
    return loaders.creditNoteById.load(line.creditNote.id).then((note) => {
      if (!note) throw new NotFoundError('CreditNote', line.creditNote.id);
      return Money.of({ amount: line.amount, currency: note.currency });
    });
  }
}
