// GraphQL inputs. Those a use case validates are derived from its zod schema (see inputFromSchema.ts), so the
// fields, types, limits and descriptions are written once, beside the rule; the rest (filters, credentials) are
// plain classes because nothing else describes them.
import { Field, ID, InputType, registerEnumType } from 'type-graphql';
import type { z } from 'zod';
import { createApiClientSchema, setReturnOriginsSchema } from '../../accounts/apiClients.js';
import { changePasswordSchema } from '../../accounts/changePassword.js';
import { registerSchema } from '../../accounts/register.js';
import { cancelSchema } from '../../billing/requests/cancelSubscription.js';
import { changePlanSchema } from '../../billing/requests/changePlan.js';
import { subscriptionIdSchema } from '../../billing/requests/lifecycleRequest.js';
import { pauseSchema } from '../../billing/requests/pauseSubscription.js';
import { subscribeSchema } from '../../billing/subscribe.js';
import { changePlanPriceSchema } from '../../catalog/changePlanPrice.js';
import { createCouponSchema } from '../../catalog/coupons.js';
import { createPlanSchema, priceTierSchema } from '../../catalog/createPlan.js';
import { createProductSchema } from '../../catalog/createProduct.js';
import { createCustomerSchema } from '../../customers/createCustomer.js';
import { addressSchema, preferencesSchema } from '../../customers/customerInput.js';
import { moveCustomerSchema } from '../../customers/moveCustomer.js';
import { updateCustomerSchema } from '../../customers/updateCustomer.js';
import { payInvoiceSchema } from '../../payments/payInvoice.js';
import { closeInvoiceSchema } from '../../billing/requests/closeInvoice.js';
import { recordOfflinePaymentSchema } from '../../payments/offline/recordOfflinePayment.js';
import { assignPaybillPaymentSchema } from '../../payments/paybill/assignPaybillPayment.js';
import { creditNoteLineSchema, issueCreditNoteSchema } from '../../creditNotes/issueCreditNote.js';
import { CreditNoteReasonEnum } from '../../entities/CreditNote.js';
import { transactionFilterSchema } from '../../ledger/listTransactions.js';
import { createInvoiceSchema, invoiceItemSchema } from '../../billing/createInvoice.js';
import { TransactionKindEnum, TransactionMethodEnum, TransactionStatusEnum } from './ledger.js';
import { paymentMethodSchema } from '../../payments/paymentMethods.js';
import { updatePaymentMethodSchema } from '../../payments/updatePaymentMethod.js';
import { checkoutSessionSchema } from '../../hosted/createCheckoutSession.js';
import { portalSessionSchema } from '../../hosted/createPortalSession.js';
import type { SubscriptionStatus } from '../../domain/subscriptionStatus.js';
import { CouponDurationEnum } from '../../entities/Coupon.js';
import { CustomerStatusEnum, type CustomerStatus } from '../../entities/Customer.js';
import { InvoiceCollectionEnum, InvoiceStatusEnum, type InvoiceStatus } from '../../entities/Invoice.js';
import { BillingIntervalEnum, PlanStatusEnum, PricingModelEnum, type PlanStatus } from '../../entities/Plan.js';
import { SubscriptionStatusEnum } from '../../entities/Subscription.js';
import { TaxCategoryEnum } from '../../entities/taxCategory.js';
import { OfflinePaymentMethodEnum } from '../../entities/OfflinePayment.js';
import { PaymentProviderEnum, PaymentStatusEnum, type PaymentStatus } from '../../entities/Payment.js';
import type { PaymentProvider } from '../../entities/paymentProvider.js';
import { RefundStatusEnum, type RefundStatus } from '../../entities/Refund.js';
import { requestRefundSchema } from '../../refunds/refundSchema.js';
import { GraphQLSafeInt } from 'graphql-scalars';
import { InputTypeRegistry } from './inputFromSchema.js';
import { requestStandingOrderSchema } from '../../payments/ratiba/requestStandingOrder.js';

export const PlanChangeTimingEnum = { NOW: 'NOW', PERIOD_END: 'PERIOD_END' } as const;
registerEnumType(PlanChangeTimingEnum, {
  name: 'PlanChangeTiming',
  description: 'NOW: switch and charge the prorated rest of the period at once. PERIOD_END: from the next period.',
});

const inputs = new InputTypeRegistry([
  BillingIntervalEnum,
  PricingModelEnum,
  CouponDurationEnum,
  PaymentProviderEnum,
  PlanChangeTimingEnum,
  OfflinePaymentMethodEnum,
  CreditNoteReasonEnum,
  InvoiceCollectionEnum,
  TransactionKindEnum,
  TransactionMethodEnum,
  TransactionStatusEnum,
  TaxCategoryEnum,
]);

// Objects used inside other inputs come first.
export const PriceTierInput = inputs.define('PriceTierInput', priceTierSchema);
export const AddressInput = inputs.define('AddressInput', addressSchema);
export const NotificationPreferencesInput = inputs.define('NotificationPreferencesInput', preferencesSchema);
export const PaymentMethodInput = inputs.define(
  'PaymentMethodInput',
  paymentMethodSchema,
  'How a subscription pays: an M-Pesa phone (KES), or PayPal (approved at the first payment).',
);

export const CreateProductInput = inputs.define('CreateProductInput', createProductSchema);
export type CreateProductInput = z.input<typeof createProductSchema>;
export const CreatePlanInput = inputs.define('CreatePlanInput', createPlanSchema);
export type CreatePlanInput = z.input<typeof createPlanSchema>;
export const ChangePlanPriceInput = inputs.define('ChangePlanPriceInput', changePlanPriceSchema);
export type ChangePlanPriceInput = z.input<typeof changePlanPriceSchema>;
export const CreateCouponInput = inputs.define('CreateCouponInput', createCouponSchema);
export type CreateCouponInput = z.input<typeof createCouponSchema>;

export const CreateCustomerInput = inputs.define('CreateCustomerInput', createCustomerSchema);
export type CreateCustomerInput = z.input<typeof createCustomerSchema>;
export const MoveCustomerInput = inputs.define(
  'MoveCustomerInput',
  moveCustomerSchema,
  'Give a customer to a client app, or (apiClientId null) to none.',
);
export type MoveCustomerInput = z.input<typeof moveCustomerSchema>;
export const UpdateCustomerInput = inputs.define(
  'UpdateCustomerInput',
  updateCustomerSchema,
  'Only the fields given change.',
);
export type UpdateCustomerInput = z.input<typeof updateCustomerSchema>;

export const SubscribeInput = inputs.define('SubscribeInput', subscribeSchema);
export type SubscribeInput = z.input<typeof subscribeSchema>;
export const CancelSubscriptionInput = inputs.define('CancelSubscriptionInput', cancelSchema);
export type CancelSubscriptionInput = z.input<typeof cancelSchema>;
export const UncancelSubscriptionInput = inputs.define('UncancelSubscriptionInput', subscriptionIdSchema);
export type UncancelSubscriptionInput = z.input<typeof subscriptionIdSchema>;
export const ChangePlanInput = inputs.define('ChangePlanInput', changePlanSchema);
export type ChangePlanInput = z.input<typeof changePlanSchema>;
export const PauseSubscriptionInput = inputs.define('PauseSubscriptionInput', pauseSchema);
export type PauseSubscriptionInput = z.input<typeof pauseSchema>;
export const ResumeSubscriptionInput = inputs.define('ResumeSubscriptionInput', subscriptionIdSchema);
export type ResumeSubscriptionInput = z.input<typeof subscriptionIdSchema>;
export const PayInvoiceInput = inputs.define('PayInvoiceInput', payInvoiceSchema);
export const CloseInvoiceInput = inputs.define('CloseInvoiceInput', closeInvoiceSchema);
export const CreditNoteLineInput = inputs.define('CreditNoteLineInput', creditNoteLineSchema);
export const IssueCreditNoteInput = inputs.define('IssueCreditNoteInput', issueCreditNoteSchema);
export type IssueCreditNoteInput = z.input<typeof issueCreditNoteSchema>;
export const TransactionFilter = inputs.define('TransactionFilter', transactionFilterSchema);
export type TransactionFilter = z.input<typeof transactionFilterSchema>;
export const InvoiceItemInput = inputs.define('InvoiceItemInput', invoiceItemSchema);
export const CreateInvoiceInput = inputs.define('CreateInvoiceInput', createInvoiceSchema);
export type CreateInvoiceInput = z.input<typeof createInvoiceSchema>;
export const RecordOfflinePaymentInput = inputs.define('RecordOfflinePaymentInput', recordOfflinePaymentSchema);
export type RecordOfflinePaymentInput = z.input<typeof recordOfflinePaymentSchema>;
export const AssignPaybillPaymentInput = inputs.define('AssignPaybillPaymentInput', assignPaybillPaymentSchema);
export type AssignPaybillPaymentInput = z.input<typeof assignPaybillPaymentSchema>;
export type CloseInvoiceInput = z.input<typeof closeInvoiceSchema>;
export type PayInvoiceInput = z.input<typeof payInvoiceSchema>;
export const UpdatePaymentMethodInput = inputs.define('UpdatePaymentMethodInput', updatePaymentMethodSchema);
export const RequestStandingOrderInput = inputs.define('RequestStandingOrderInput', requestStandingOrderSchema);
export type RequestStandingOrderInput = z.input<typeof requestStandingOrderSchema>;
export type UpdatePaymentMethodInput = z.input<typeof updatePaymentMethodSchema>;
export const RegisterInput = inputs.define('RegisterInput', registerSchema);
export type RegisterInput = z.input<typeof registerSchema>;
export const ChangePasswordInput = inputs.define('ChangePasswordInput', changePasswordSchema);
export type ChangePasswordInput = z.input<typeof changePasswordSchema>;
export const CreateApiClientInput = inputs.define('CreateApiClientInput', createApiClientSchema);
export type CreateApiClientInput = z.input<typeof createApiClientSchema>;
export const SetApiClientReturnOriginsInput = inputs.define(
  'SetApiClientReturnOriginsInput',
  setReturnOriginsSchema,
  'Replaces the origins hosted pages may send the app’s customers back to.',
);
export type SetApiClientReturnOriginsInput = z.input<typeof setReturnOriginsSchema>;
export const CreateCheckoutSessionInput = inputs.define('CreateCheckoutSessionInput', checkoutSessionSchema);
export type CreateCheckoutSessionInput = z.input<typeof checkoutSessionSchema>;
export const CreatePortalSessionInput = inputs.define('CreatePortalSessionInput', portalSessionSchema);
export type CreatePortalSessionInput = z.input<typeof portalSessionSchema>;

@InputType()
export class LoginInput {
  @Field() email!: string;
  @Field() password!: string;
}

@InputType()
export class ResetPasswordInput {
  @Field() token!: string;
  @Field() password!: string;
}

export const SortDirectionEnum = { ASC: 'ASC', DESC: 'DESC' } as const;
registerEnumType(SortDirectionEnum, { name: 'SortDirection' });
export const CustomerSortEnum = { CREATED_AT: 'CREATED_AT', NAME: 'NAME', EMAIL: 'EMAIL' } as const;
registerEnumType(CustomerSortEnum, { name: 'CustomerSort' });
export const SubscriptionSortEnum = { CREATED_AT: 'CREATED_AT', RENEWS_AT: 'RENEWS_AT' } as const;
registerEnumType(SubscriptionSortEnum, {
  name: 'SubscriptionSort',
  description: 'RENEWS_AT: the current period’s end, else the trial’s end, else the billing anchor.',
});
export const InvoiceSortEnum = {
  CREATED_AT: 'CREATED_AT',
  ISSUED_AT: 'ISSUED_AT',
  DUE_AT: 'DUE_AT',
  NUMBER: 'NUMBER',
  TOTAL: 'TOTAL',
} as const;
registerEnumType(InvoiceSortEnum, { name: 'InvoiceSort' });
export const PaymentSortEnum = { CREATED_AT: 'CREATED_AT', AMOUNT: 'AMOUNT' } as const;
registerEnumType(PaymentSortEnum, { name: 'PaymentSort' });

@InputType()
export class CustomerFilter {
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => String, { nullable: true }) externalId?: string | null;
  @Field(() => CustomerStatusEnum, { nullable: true }) status?: CustomerStatus | null;
  @Field(() => String, { nullable: true, description: 'Matches name or email, case-insensitively.' }) search?:
    string | null;
  @Field(() => String, {
    nullable: true,
    description:
      'A whole number in any form (0712345678, +254712345678) matches it exactly; else phones holding these digits (3 or more).',
  })
  phone?: string | null;
  @Field(() => ID, { nullable: true, description: 'Customers of this client app.' }) apiClientId?: string | null;
}

@InputType()
export class SubscriptionFilter {
  @Field(() => SubscriptionStatusEnum, { nullable: true }) status?: SubscriptionStatus | null;
  @Field(() => [SubscriptionStatusEnum], { nullable: true, description: 'Any of these statuses.' }) statuses?:
    SubscriptionStatus[] | null;
  @Field(() => ID, { nullable: true }) planId?: string | null;
  @Field(() => ID, { nullable: true, description: 'On any plan of this product.' }) productId?: string | null;
  @Field(() => ID, { nullable: true }) customerId?: string | null;
  @Field(() => ID, { nullable: true, description: 'Of customers of this client app.' }) apiClientId?: string | null;
  @Field(() => Date, { nullable: true, description: 'Renews (RENEWS_AT) at or after.' }) renewsFrom?: Date | null;
  @Field(() => Date, { nullable: true, description: 'Renews before.' }) renewsTo?: Date | null;
}

@InputType()
export class InvoiceFilter {
  @Field(() => InvoiceStatusEnum, { nullable: true }) status?: InvoiceStatus | null;
  @Field(() => ID, { nullable: true }) customerId?: string | null;
  @Field(() => ID, { nullable: true }) subscriptionId?: string | null;
  @Field(() => ID, { nullable: true, description: 'Of customers of this client app.' }) apiClientId?: string | null;
  @Field(() => String, { nullable: true, description: 'Number contains this, case-insensitively.' }) number?:
    string | null;
  @Field(() => String, { nullable: true }) currency?: string | null;
  @Field(() => Date, { nullable: true, description: 'Issued at or after.' }) from?: Date | null;
  @Field(() => Date, { nullable: true, description: 'Issued before.' }) to?: Date | null;
  @Field(() => GraphQLSafeInt, { nullable: true, description: 'Total at least this, in minor units.' }) minTotal?:
    number | null;
  @Field(() => GraphQLSafeInt, { nullable: true, description: 'Total at most this, in minor units.' }) maxTotal?:
    number | null;
}

@InputType()
export class PaymentFilter {
  @Field(() => PaymentProviderEnum, { nullable: true }) provider?: PaymentProvider | null;
  @Field(() => PaymentStatusEnum, { nullable: true }) status?: PaymentStatus | null;
  @Field(() => ID, { nullable: true }) customerId?: string | null;
  @Field(() => ID, { nullable: true }) invoiceId?: string | null;
  @Field(() => ID, { nullable: true, description: 'Of customers of this client app.' }) apiClientId?: string | null;
  @Field(() => String, {
    nullable: true,
    description:
      'Exactly the provider’s reference (M-Pesa CheckoutRequestID, PayPal order or capture id) or the M-Pesa receipt number.',
  })
  reference?: string | null;
  @Field(() => String, { nullable: true }) currency?: string | null;
  @Field(() => Date, { nullable: true, description: 'Created at or after.' }) from?: Date | null;
  @Field(() => Date, { nullable: true, description: 'Created before.' }) to?: Date | null;
  @Field(() => GraphQLSafeInt, { nullable: true, description: 'Amount at least this, in minor units.' }) minAmount?:
    number | null;
  @Field(() => GraphQLSafeInt, { nullable: true, description: 'Amount at most this, in minor units.' }) maxAmount?:
    number | null;
}

@InputType()
export class PlanFilter {
  @Field(() => PlanStatusEnum, { nullable: true }) status?: PlanStatus | null;
  @Field(() => ID, { nullable: true }) productId?: string | null;
  @Field(() => String, { nullable: true }) currency?: string | null;
}

/** The public request: credit notes pass their own id to requestRefund directly. */
export const refundPaymentSchema = requestRefundSchema.omit({ creditNoteId: true });
export const RefundPaymentInput = inputs.define('RefundPaymentInput', refundPaymentSchema);
export type RefundPaymentInput = z.input<typeof refundPaymentSchema>;

@InputType()
export class RefundFilter {
  @Field(() => ID, { nullable: true }) paymentId?: string | null;
  @Field(() => ID, { nullable: true }) customerId?: string | null;
  @Field(() => RefundStatusEnum, { nullable: true }) status?: RefundStatus | null;
  @Field(() => PaymentProviderEnum, { nullable: true }) provider?: PaymentProvider | null;
}
