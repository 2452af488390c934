import { GraphQLJSONObject, GraphQLSafeInt } from 'graphql-scalars';
import { Field, ID, InputType, Int, registerEnumType } from 'type-graphql';
import type { z } from 'zod';
import type { createApiClientSchema } from '../../accounts/apiClients.js';
import type { changePlanSchema } from '../../billing/requests/changePlan.js';
import type { subscribeSchema } from '../../billing/subscribe.js';
import type { createCouponSchema } from '../../catalog/coupons.js';
import type { createCustomerSchema } from '../../customers/createCustomer.js';
import type { updatePaymentMethodSchema } from '../../payments/updatePaymentMethod.js';
import type { BillingInterval } from '../../domain/billingPeriod.js';
import type { SubscriptionStatus } from '../../domain/subscriptionStatus.js';
import { CouponDurationEnum } from '../../entities/Coupon.js';
import { CustomerStatusEnum, type CustomerStatus } from '../../entities/Customer.js';
import { InvoiceStatusEnum, type InvoiceStatus } from '../../entities/Invoice.js';
import {
  BillingIntervalEnum,
  PlanStatusEnum,
  PricingModelEnum,
  type PlanStatus,
  type PricingModel,
} from '../../entities/Plan.js';
import { SubscriptionStatusEnum } from '../../entities/Subscription.js';
import { PaymentProviderEnum, type PaymentProvider } from '../../entities/Payment.js';
import type { CouponDuration } from '../../domain/coupons.js';

@InputType()
export class PriceTierInput {
  @Field(() => GraphQLSafeInt, {
    nullable: true,
    description: 'Last unit of this tier; null for the open-ended last tier.',
  })
  upTo!: number | null;
  @Field(() => GraphQLSafeInt) unitAmount!: number;
  @Field(() => GraphQLSafeInt, { nullable: true }) flatAmount?: number;
}

@InputType()
export class CreateProductInput {
  @Field({ description: 'Stable identifier, e.g. analytics.' }) code!: string;
  @Field() name!: string;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => [String], { nullable: true }) features?: string[];
}

@InputType()
export class CreatePlanInput {
  @Field(() => ID) productId!: string;
  @Field() name!: string;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => String, { nullable: true }) tier?: string | null;
  @Field(() => GraphQLSafeInt, {
    description: 'Price per period (per unit when tiered) in minor units, e.g. 150000 for KES 1,500.00.',
  })
  amount!: number;
  @Field({ description: 'ISO 4217 code, e.g. KES or USD.' }) currency!: string;
  @Field(() => BillingIntervalEnum) interval!: BillingInterval;
  @Field(() => Int, { nullable: true, description: 'Periods of `interval` per billing cycle; default 1.' })
  intervalCount?: number;
  @Field(() => Int, { nullable: true, description: 'Free days before the first invoice; default 0.' })
  trialDays?: number;
  @Field(() => [String], { nullable: true }) features?: string[];
  @Field(() => GraphQLJSONObject, { nullable: true, description: 'Usage limits, e.g. {"seats": 10}.' }) limits?: Record<
    string,
    number
  >;
  @Field(() => PricingModelEnum, { nullable: true }) pricingModel?: PricingModel;
  @Field(() => [PriceTierInput], { nullable: true }) tiers?: PriceTierInput[] | null;
}

@InputType()
export class ChangePlanPriceInput {
  @Field(() => ID) planId!: string;
  @Field(() => GraphQLSafeInt) amount!: number;
}

@InputType()
export class AddressInput {
  @Field() line1!: string;
  @Field(() => String, { nullable: true }) line2?: string | null;
  @Field() city!: string;
  @Field(() => String, { nullable: true }) region?: string | null;
  @Field(() => String, { nullable: true }) postalCode?: string | null;
  @Field() country!: string;
}

@InputType()
export class NotificationPreferencesInput {
  @Field({ nullable: true }) renewalReminders?: boolean;
  @Field({ nullable: true }) trialEndingReminders?: boolean;
  @Field({ nullable: true }) productUpdates?: boolean;
}

@InputType()
export class CreateCustomerInput implements z.input<typeof createCustomerSchema> {
  @Field() email!: string;
  @Field() name!: string;
  @Field(() => String, { nullable: true, description: "Your app's id for this customer; unique per app." })
  externalId?: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'E.164 (+254712345678); Kenyan mobiles may be written 0712345678.',
  })
  phone?: string | null;
  @Field(() => AddressInput, { nullable: true }) address?: AddressInput | null;
  @Field(() => AddressInput, { nullable: true }) billingAddress?: AddressInput | null;
  @Field(() => String, { nullable: true }) locale?: string;
  @Field(() => NotificationPreferencesInput, { nullable: true }) preferences?: NotificationPreferencesInput;
  @Field(() => ID, {
    nullable: true,
    description:
      'Administrators: the client app this customer belongs to (its key then sees it, e.g. in entitlement). ' +
      "An app's customers are always its own.",
  })
  apiClientId?: string | null;
}

@InputType({ description: 'Give a customer to a client app, or (apiClientId null) to none.' })
export class MoveCustomerInput {
  @Field(() => ID) customerId!: string;
  @Field(() => ID, { nullable: true }) apiClientId!: string | null;
}

@InputType({ description: 'Only the fields given change.' })
export class UpdateCustomerInput {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) email?: string;
  @Field(() => String, { nullable: true }) name?: string;
  @Field(() => String, { nullable: true }) externalId?: string | null;
  @Field(() => String, { nullable: true }) phone?: string | null;
  @Field(() => AddressInput, { nullable: true }) address?: AddressInput | null;
  @Field(() => AddressInput, { nullable: true }) billingAddress?: AddressInput | null;
  @Field(() => String, { nullable: true }) locale?: string;
  @Field(() => NotificationPreferencesInput, { nullable: true }) preferences?: NotificationPreferencesInput;
}

@InputType()
export class CreateCouponInput implements z.input<typeof createCouponSchema> {
  @Field() code!: string;
  @Field() name!: string;
  @Field(() => Int, { nullable: true, description: '1250 is 12.5 % off.' }) percentOffBasisPoints?: number | null;
  @Field(() => GraphQLJSONObject, { nullable: true, description: 'Minor units off per currency, e.g. {"KES": 50000}.' })
  amountsOff?: Record<string, number> | null;
  @Field(() => CouponDurationEnum) duration!: CouponDuration;
  @Field(() => Int, { nullable: true }) durationInPeriods?: number | null;
  @Field(() => Int, { nullable: true }) maxRedemptions?: number | null;
  @Field(() => Date, { nullable: true }) redeemBy?: Date | null;
  @Field(() => [ID], { nullable: true }) planIds?: string[] | null;
}

@InputType({
  description: 'How a subscription pays: an M-Pesa phone (KES), or PayPal (approved at the first payment).',
})
export class PaymentMethodInput {
  @Field(() => PaymentProviderEnum) provider!: PaymentProvider;
  @Field(() => String, { nullable: true, description: 'M-Pesa: the Kenyan mobile number to prompt, e.g. 0712345678.' })
  phone?: string | null;
}

@InputType()
export class SubscribeInput implements z.input<typeof subscribeSchema> {
  @Field(() => ID) customerId!: string;
  @Field(() => ID) planId!: string;
  @Field(() => Int, { nullable: true, description: 'Units (seats); default 1.' }) quantity?: number;
  @Field(() => Date, {
    nullable: true,
    description: "Overrides the plan's trial: when the trial ends. Null or a past instant: no trial.",
  })
  trialEnd?: Date | null;
  @Field(() => PaymentMethodInput, {
    nullable: true,
    description:
      'Charge automatically with this method. Without one, invoices stay open until one is added (updatePaymentMethod).',
  })
  paymentMethod?: PaymentMethodInput | null;
  @Field(() => String, {
    nullable: true,
    description:
      'Makes retries safe: the same key returns the same subscription. The Idempotency-Key header works too.',
  })
  idempotencyKey?: string | null;
  @Field(() => String, {
    nullable: true,
    description:
      'A coupon code (any case, e.g. KARIBU20). Its duration counts from the first billed period; a code that cannot be used is refused with the reason.',
  })
  couponCode?: string | null;
}

@InputType()
export class CancelSubscriptionInput {
  @Field(() => ID) subscriptionId!: string;
  @Field(() => Boolean, {
    nullable: true,
    description: 'true: end when the current period ends (reversible until then); false or absent: end now.',
  })
  atPeriodEnd?: boolean | null;
  @Field(() => Boolean, {
    nullable: true,
    description:
      "Ending now: credit the unused part of the current period's paid invoice to the customer's balance, which their later invoices spend.",
  })
  creditUnusedTime?: boolean | null;
}

@InputType()
export class UncancelSubscriptionInput {
  @Field(() => ID) subscriptionId!: string;
}

export const PlanChangeTimingEnum = { NOW: 'NOW', PERIOD_END: 'PERIOD_END' } as const;
registerEnumType(PlanChangeTimingEnum, {
  name: 'PlanChangeTiming',
  description: 'NOW: switch and charge the prorated rest of the period at once. PERIOD_END: from the next period.',
});

@InputType()
export class ChangePlanInput implements z.input<typeof changePlanSchema> {
  @Field(() => ID) subscriptionId!: string;
  @Field(() => ID) planId!: string;
  @Field(() => Int, { nullable: true, description: 'Units (seats); default: unchanged.' }) quantity?: number | null;
  @Field(() => PlanChangeTimingEnum, {
    nullable: true,
    description:
      "Default: NOW for upgrades, PERIOD_END for downgrades. NOW for a downgrade credits the unused difference to the customer's balance.",
  })
  timing?: 'NOW' | 'PERIOD_END' | null;
}

@InputType()
export class PauseSubscriptionInput {
  @Field(() => ID) subscriptionId!: string;
  @Field(() => Int, {
    nullable: true,
    description: 'Whole periods after the current one to leave unbilled (1 to 12); empty: until resumed.',
  })
  periods?: number | null;
}

@InputType()
export class ResumeSubscriptionInput {
  @Field(() => ID) subscriptionId!: string;
}

@InputType()
export class PayInvoiceInput {
  @Field(() => ID) invoiceId!: string;
}

@InputType()
export class UpdatePaymentMethodInput implements z.input<typeof updatePaymentMethodSchema> {
  @Field(() => ID) subscriptionId!: string;
  @Field(() => PaymentMethodInput) paymentMethod!: PaymentMethodInput;
}

@InputType()
export class RegisterInput {
  @Field() email!: string;
  @Field() password!: string;
  @Field() name!: string;
}

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

@InputType()
export class CreateApiClientInput implements z.input<typeof createApiClientSchema> {
  @Field() name!: string;
  @Field(() => [String], { description: 'e.g. read:customers, write:subscriptions.' }) scopes!: string[];
}

@InputType()
export class CustomerFilter {
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => String, { nullable: true }) externalId?: string | null;
  @Field(() => CustomerStatusEnum, { nullable: true }) status?: CustomerStatus | null;
  @Field(() => String, { nullable: true, description: 'Matches name or email, case-insensitively.' }) search?:
    string | null;
}

@InputType()
export class SubscriptionFilter {
  @Field(() => SubscriptionStatusEnum, { nullable: true }) status?: SubscriptionStatus | null;
  @Field(() => ID, { nullable: true }) planId?: string | null;
  @Field(() => ID, { nullable: true }) customerId?: string | null;
}

@InputType()
export class InvoiceFilter {
  @Field(() => InvoiceStatusEnum, { nullable: true }) status?: InvoiceStatus | null;
  @Field(() => ID, { nullable: true }) customerId?: string | null;
  @Field(() => Date, { nullable: true, description: 'Issued at or after.' }) from?: Date | null;
  @Field(() => Date, { nullable: true, description: 'Issued before.' }) to?: Date | null;
}

@InputType()
export class PlanFilter {
  @Field(() => PlanStatusEnum, { nullable: true }) status?: PlanStatus | null;
  @Field(() => ID, { nullable: true }) productId?: string | null;
  @Field(() => String, { nullable: true }) currency?: string | null;
}
