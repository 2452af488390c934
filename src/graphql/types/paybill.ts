import { Field, ObjectType } from 'type-graphql';
import type { PayByPaybill } from '../../invoices/invoiceDocument.js';

@ObjectType({ description: 'How to pay an invoice from a phone: M-Pesa, Lipa na M-Pesa, Pay Bill.' })
export class PaybillInstructions implements PayByPaybill {
  @Field({ description: 'The business number to pay.' })
  shortCode!: string;

  @Field({ description: "This invoice's account number, e.g. INV26000042 (any case)." })
  account!: string;

  @Field({ description: "The customer's account number, e.g. ACC000042: pays their oldest open invoices." })
  customerAccount!: string;
}
