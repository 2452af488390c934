// Its own module because subscriptions, payments and webhook deliveries all name a provider, and Payment imports
// Invoice which imports Subscription: the enum must not sit inside that cycle.
import { registerEnumType } from 'type-graphql';

export const PaymentProviderEnum = { MPESA: 'MPESA', PAYPAL: 'PAYPAL' } as const;
export type PaymentProvider = keyof typeof PaymentProviderEnum;
registerEnumType(PaymentProviderEnum, { name: 'PaymentProvider' });
