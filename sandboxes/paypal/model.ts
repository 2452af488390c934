// What the PayPal sandbox keeps (orders, captures, refunds, vault tokens) and the shapes its handlers pass around.
import type { IncomingMessage } from 'node:http';
import type { Link, Reply } from './errors.js';
import type { ResourceRef } from './requestIds.js';

export interface Payer {
  email_address: string;
  payer_id: string;
  name: { given_name: string; surname: string };
  country_code: string;
}

export type OrderStatus = 'CREATED' | 'PAYER_ACTION_REQUIRED' | 'APPROVED' | 'COMPLETED';
export type CaptureStatus = 'COMPLETED' | 'PENDING' | 'DECLINED' | 'PARTIALLY_REFUNDED' | 'REFUNDED';

export interface Money {
  currency: string;
  minor: number;
}

export interface PurchaseUnit extends Money {
  reference_id: string;
  custom_id?: string;
  invoice_id?: string;
  description?: string;
  soft_descriptor?: string;
}

export interface VaultRequest {
  usage_type: string;
  customer_type: string;
  usage_pattern?: string;
  description?: string;
  permit_multiple_payment_tokens: boolean;
  customerId?: string;
}

export interface Order {
  id: string;
  status: OrderStatus;
  /** checkout: no payment_source; wallet: payment_source.paypal (payer action); vaulted: merchant-initiated. */
  kind: 'checkout' | 'wallet' | 'vaulted';
  unit: PurchaseUnit;
  vaultRequest?: VaultRequest;
  returnUrl?: string;
  cancelUrl?: string;
  vaultId?: string;
  payer?: Payer;
  captureId?: string;
  createTime: string;
  updateTime: string;
}

export interface Capture extends Money {
  id: string;
  orderId: string;
  status: CaptureStatus;
  custom_id?: string;
  invoice_id?: string;
  refundedMinor: number;
  vaultId: string | null;
  requestId: string | null;
  createTime: string;
  updateTime: string;
}

export interface Refund extends Money {
  id: string;
  captureId: string;
  /** PENDING for the scripted amounts 5.00 (then COMPLETED) and 5.01 (then FAILED); COMPLETED otherwise. */
  status: 'PENDING' | 'COMPLETED' | 'FAILED';
  updateTime?: string;
  invoice_id?: string;
  note_to_payer?: string;
  createTime: string;
}

export interface VaultToken {
  id: string;
  customerId: string;
  payer: Payer;
  request: VaultRequest;
  orderId: string;
  deleted: boolean;
}

/** A reply plus the resource the request created or acted on, which a PayPal-Request-Id replay answers with. */
export interface Outcome extends Reply {
  resource?: ResourceRef;
}

export interface Ctx {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  raw: Buffer;
  base: string;
  requestId: string | null;
}

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const json = (status: number, body: unknown, headers?: Record<string, string>): Reply => ({
  status,
  body,
  headers,
});

export const link = (href: string, rel: string, method: string): Link => ({ href, rel, method });
