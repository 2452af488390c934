// What a caller may do. API clients carry explicit scopes; ADMIN users may do everything; CUSTOMER users get a
// fixed set that the ownership rules narrow to their own data.

export const SCOPES = [
  'read:customers',
  'write:customers',
  'read:plans',
  'write:plans',
  'read:subscriptions',
  'write:subscriptions',
  'read:invoices',
  'write:invoices',
  'read:coupons',
  'write:coupons',
  'read:reports',
  'read:audit',
  // Events out (docs/webhooks.md): listing the app's events and deliveries, and managing its endpoints.
  'read:events',
  'write:webhooks',
  // Giving money back on a payment (docs/refunds.md); reading refunds needs read:invoices, like payments.
  'write:refunds',
  'admin',
] as const;
export type Scope = (typeof SCOPES)[number];

export const CUSTOMER_USER_SCOPES: readonly Scope[] = [
  'read:customers',
  'write:customers',
  'read:plans',
  'read:subscriptions',
  'write:subscriptions',
  'read:invoices',
  // Paying their own invoices (payInvoice); visibility still limits them to their own.
  'write:invoices',
  'read:coupons',
];

/**
 * A hosted session (a checkout or portal page a client app sent its customer to) acts for that one customer, as the
 * customer would: the same rights as a CUSTOMER user, which the ownership rules narrow to that customer.
 */
export const HOSTED_SESSION_SCOPES: readonly Scope[] = CUSTOMER_USER_SCOPES;

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

export type Caller =
  | { kind: 'anonymous' }
  | { kind: 'user'; userId: string; role: 'ADMIN'; customerId: null }
  | { kind: 'user'; userId: string; role: 'CUSTOMER'; customerId: string }
  | { kind: 'apiClient'; apiClientId: string; apiKeyId: string; scopes: readonly Scope[] }
  | { kind: 'hostedSession'; sessionId: string; customerId: string; apiClientId: string; scopes: readonly Scope[] };

export function callerScopes(caller: Caller): readonly Scope[] {
  switch (caller.kind) {
    case 'anonymous':
      return [];
    case 'apiClient':
    case 'hostedSession':
      return caller.scopes;
    case 'user':
      return caller.role === 'ADMIN' ? SCOPES : CUSTOMER_USER_SCOPES;
  }
}

/** For audit events. */
export function actorOf(caller: Caller): { actorType: string; actorId: string | null } {
  switch (caller.kind) {
    case 'anonymous':
      return { actorType: 'ANONYMOUS', actorId: null };
    case 'apiClient':
      return { actorType: 'API_CLIENT', actorId: caller.apiClientId };
    case 'hostedSession':
      return { actorType: 'HOSTED_SESSION', actorId: caller.sessionId };
    case 'user':
      return { actorType: 'USER', actorId: caller.userId };
  }
}

/** The customer a caller acts for alone (a CUSTOMER user, a hosted session), or null for apps and administrators. */
export function ownCustomerOf(caller: Caller): string | null {
  if (caller.kind === 'hostedSession') return caller.customerId;
  return caller.kind === 'user' && caller.role === 'CUSTOMER' ? caller.customerId : null;
}
