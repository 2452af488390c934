import { Customer } from './Customer.js';
import { Invoice } from './Invoice.js';
import { InvoiceLine } from './InvoiceLine.js';
import { Plan } from './Plan.js';
import { Subscription } from './Subscription.js';

export { Customer, Invoice, InvoiceLine, Plan, Subscription };
export const entities = [Plan, Customer, Subscription, Invoice, InvoiceLine];
