import { GraphQLSafeInt } from 'graphql-scalars';
import { Field, ObjectType } from 'type-graphql';
import type {
  PlanChangePreview as Preview,
  PlanChangePreviewLine as PreviewLine,
} from '../../billing/previewPlanChange.js';
import { InvoiceLineKindEnum, type InvoiceLineKind } from '../../entities/InvoiceLine.js';
import { PlanChangeTimingEnum } from './inputs.js';

@ObjectType({ description: 'One line of what a plan change prorates; amounts in minor units of the preview currency.' })
export class PlanChangePreviewLine implements PreviewLine {
  @Field(() => InvoiceLineKindEnum) kind!: InvoiceLineKind;
  @Field() description!: string;
  @Field(() => GraphQLSafeInt, { description: 'Negative for a credit.' }) amount!: number;
}

@ObjectType({
  description:
    'What changePlan would do with the same input, computed as the change computes it. Amounts are minor units of `currency`.',
})
export class PlanChangePreview implements Preview {
  @Field(() => PlanChangeTimingEnum, {
    description: 'The timing changePlan would use (the one asked, or its default).',
  })
  timing!: 'NOW' | 'PERIOD_END';

  @Field({ description: 'When the new plan starts counting: now, or the start of the next period.' })
  effectiveAt!: Date;

  @Field(() => [PlanChangePreviewLine], {
    description:
      'The proration: invoiced now (with tax) when it adds up to more than 0, else credited. Empty at the period end or during a trial.',
  })
  lines!: PlanChangePreviewLine[];

  @Field(() => GraphQLSafeInt, { description: "Charged now: the PRORATION invoice's amount due." })
  amountDueNow!: number;

  @Field(() => GraphQLSafeInt, { description: "Of the customer's credit balance, what pays the invoice now." })
  creditApplied!: number;

  @Field(() => GraphQLSafeInt, {
    description:
      "A cheaper change now: the unused difference with the tax it was billed with, added to the customer's credit balance.",
  })
  creditGranted!: number;

  @Field(() => GraphQLSafeInt, {
    description: "The next period's invoice on the new plan, before credit pays any of it.",
  })
  nextPeriodAmount!: number;

  @Field({ description: 'ISO 4217 code.' }) currency!: string;
}
