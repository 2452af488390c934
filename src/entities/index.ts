import { ApiClient } from './ApiClient.js';
import { ApiKey } from './ApiKey.js';
import { AuditEvent } from './AuditEvent.js';
import { Coupon } from './Coupon.js';
import { Customer } from './Customer.js';
import { Invoice } from './Invoice.js';
import { InvoiceLine } from './InvoiceLine.js';
import { OutboxMessage } from './OutboxMessage.js';
import { Payment } from './Payment.js';
import { Plan } from './Plan.js';
import { Product } from './Product.js';
import { RefreshToken } from './RefreshToken.js';
import { Subscription } from './Subscription.js';
import { User } from './User.js';
import { UserToken } from './UserToken.js';
import { WebhookEvent } from './WebhookEvent.js';

export {
  ApiClient,
  ApiKey,
  AuditEvent,
  Coupon,
  Customer,
  Invoice,
  InvoiceLine,
  OutboxMessage,
  Payment,
  Plan,
  Product,
  RefreshToken,
  Subscription,
  User,
  UserToken,
  WebhookEvent,
};
export const entities = [
  ApiClient,
  ApiKey,
  AuditEvent,
  Coupon,
  Customer,
  Invoice,
  InvoiceLine,
  OutboxMessage,
  Payment,
  Plan,
  Product,
  RefreshToken,
  Subscription,
  User,
  UserToken,
  WebhookEvent,
];
