// Every table's entity, once: index.ts exports them and hands the list to the ORM.
export { ApiClient } from './ApiClient.js';
export { ApiKey } from './ApiKey.js';
export { AuditEvent } from './AuditEvent.js';
export { Coupon } from './Coupon.js';
export { Customer } from './Customer.js';
export { HostedSession } from './HostedSession.js';
export { Invoice } from './Invoice.js';
export { InvoiceLine } from './InvoiceLine.js';
export { OutboxMessage } from './OutboxMessage.js';
export { Payment } from './Payment.js';
export { Plan } from './Plan.js';
export { Product } from './Product.js';
export { RefreshToken } from './RefreshToken.js';
export { Subscription } from './Subscription.js';
export { User } from './User.js';
export { UserToken } from './UserToken.js';
export { WebhookEvent } from './WebhookEvent.js';
