// Checking a create-order request as PayPal does: the field named in each error, in PayPal's order of checks.
import { apiError, detail, type ErrorDetail, type Reply } from './errors.js';
import { parseAmount, SUPPORTED_CURRENCIES } from './money.js';
import { isObject, type Order, type PurchaseUnit, type VaultRequest } from './model.js';

export interface OrderDraft {
  unit: PurchaseUnit;
  kind: Order['kind'];
  vaultRequest?: VaultRequest;
  vaultId?: string;
  returnUrl?: string;
  cancelUrl?: string;
}

export function validateOrder(body: unknown): { draft: OrderDraft } | { error: Reply } {
  const bad: ErrorDetail[] = [];
  const unprocessable: ErrorDetail[] = [];
  const need = (field: string) => bad.push(detail('MISSING_REQUIRED_PARAMETER', { field }));
  const invalid = (field: string, value: unknown, description?: string) =>
    bad.push({ ...detail('INVALID_PARAMETER_VALUE', { field, value }), ...(description ? { description } : {}) });
  const syntax = (field: string, value: unknown) => bad.push(detail('INVALID_PARAMETER_SYNTAX', { field, value }));

  if (!isObject(body)) return { error: apiError(400, 'orders', [detail('MALFORMED_REQUEST_JSON')]) };

  if (body.intent === undefined) need('/intent');
  else if (body.intent !== 'CAPTURE') {
    invalid(
      '/intent',
      body.intent,
      body.intent === 'AUTHORIZE' ? 'The sandbox implements intent CAPTURE only.' : undefined,
    );
  }

  const strings: Array<[keyof PurchaseUnit & string, number]> = [
    ['reference_id', 256],
    ['custom_id', 127],
    ['invoice_id', 127],
    ['description', 127],
    ['soft_descriptor', 22],
  ];
  const unit: Partial<PurchaseUnit> = {};
  const units = body.purchase_units;
  if (!Array.isArray(units) || units.length === 0) {
    if (units === undefined || (Array.isArray(units) && units.length === 0)) need('/purchase_units');
    else syntax('/purchase_units', units);
  } else if (units.length > 1) {
    bad.push({
      ...detail('INVALID_ARRAY_MAX_ITEMS', { field: '/purchase_units', value: String(units.length) }),
      description: 'The sandbox implements one purchase unit per order.',
    });
  } else if (!isObject(units[0])) {
    syntax('/purchase_units/0', units[0]);
  } else {
    const pu = units[0];
    for (const [key, max] of strings) {
      const value = pu[key];
      if (value === undefined) continue;
      if (typeof value !== 'string') syntax(`/purchase_units/0/${key}`, value);
      else if (value.length > max) {
        bad.push(detail('INVALID_STRING_MAX_LENGTH', { field: `/purchase_units/0/${key}`, value }));
      } else (unit as Record<string, string>)[key] = value;
    }
    const amount = pu.amount;
    if (amount === undefined) need('/purchase_units/0/amount');
    else if (!isObject(amount)) syntax('/purchase_units/0/amount', amount);
    else {
      const currency = amount.currency_code;
      const value = amount.value;
      let currencyOk = false;
      if (currency === undefined) need('/purchase_units/0/amount/currency_code');
      else if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) {
        syntax('/purchase_units/0/amount/currency_code', currency);
      } else {
        currencyOk = true;
        unit.currency = currency;
        if (!SUPPORTED_CURRENCIES.has(currency)) {
          unprocessable.push(
            detail('CURRENCY_NOT_SUPPORTED', { field: '/purchase_units/0/amount/currency_code', value: currency }),
          );
        }
      }
      if (value === undefined) need('/purchase_units/0/amount/value');
      else if (typeof value !== 'string') syntax('/purchase_units/0/amount/value', value);
      else if (currencyOk) {
        const parsed = parseAmount(value, currency as string);
        const where = { field: '/purchase_units/0/amount/value', value };
        if ('minor' in parsed) unit.minor = parsed.minor;
        else if (parsed.problem === 'CANNOT_BE_ZERO_OR_NEGATIVE') unprocessable.push(detail(parsed.problem, where));
        else bad.push(detail(parsed.problem, where));
      }
    }
  }

  const draft: Partial<OrderDraft> = { kind: 'checkout' };
  const source = body.payment_source;
  if (source !== undefined) {
    if (!isObject(source)) syntax('/payment_source', source);
    else {
      for (const key of Object.keys(source)) {
        if (key !== 'paypal') {
          unprocessable.push(detail('PAYMENT_SOURCE_NOT_SUPPORTED', { field: `/payment_source/${key}` }));
        }
      }
      const paypal = source.paypal;
      if (paypal !== undefined && !isObject(paypal)) syntax('/payment_source/paypal', paypal);
      else if (isObject(paypal)) validateWallet(paypal, draft, { need, invalid, syntax, bad });
    }
  }

  if (bad.length > 0) return { error: apiError(400, 'orders', bad) };
  if (unprocessable.length > 0) return { error: apiError(422, 'orders', unprocessable) };
  return {
    draft: {
      ...(draft as OrderDraft),
      unit: { reference_id: 'default', ...unit } as PurchaseUnit,
    },
  };
}

export function validateWallet(
  paypal: Record<string, unknown>,
  draft: Partial<OrderDraft>,
  report: {
    need: (field: string) => void;
    invalid: (field: string, value: unknown, description?: string) => void;
    syntax: (field: string, value: unknown) => void;
    bad: ErrorDetail[];
  },
) {
  const { need, invalid, syntax, bad } = report;
  const at = '/payment_source/paypal';
  const attributes = paypal.attributes;
  if (attributes !== undefined && !isObject(attributes)) syntax(`${at}/attributes`, attributes);
  const vaultAttr = isObject(attributes) ? attributes.vault : undefined;
  const customer = isObject(attributes) ? attributes.customer : undefined;

  if (paypal.vault_id !== undefined) {
    draft.kind = 'vaulted';
    if (typeof paypal.vault_id !== 'string' || paypal.vault_id === '') syntax(`${at}/vault_id`, paypal.vault_id);
    else draft.vaultId = paypal.vault_id;
    if (vaultAttr !== undefined) {
      bad.push(detail('INCOMPATIBLE_PARAMETER_VALUE', { field: `${at}/attributes/vault` }));
    }
    const stored = paypal.stored_credential;
    if (stored !== undefined) {
      if (!isObject(stored)) syntax(`${at}/stored_credential`, stored);
      else {
        if (stored.payment_initiator === undefined) need(`${at}/stored_credential/payment_initiator`);
        else if (stored.payment_initiator !== 'MERCHANT' && stored.payment_initiator !== 'CUSTOMER') {
          invalid(`${at}/stored_credential/payment_initiator`, stored.payment_initiator);
        }
        if (stored.usage !== undefined && !['FIRST', 'SUBSEQUENT', 'DERIVED'].includes(String(stored.usage))) {
          invalid(`${at}/stored_credential/usage`, stored.usage);
        }
      }
    }
    return;
  }

  draft.kind = 'wallet';
  if (vaultAttr !== undefined) {
    if (!isObject(vaultAttr)) syntax(`${at}/attributes/vault`, vaultAttr);
    else {
      const v = vaultAttr;
      if (v.store_in_vault === undefined) need(`${at}/attributes/vault/store_in_vault`);
      else if (v.store_in_vault !== 'ON_SUCCESS') invalid(`${at}/attributes/vault/store_in_vault`, v.store_in_vault);
      if (v.usage_type === undefined) need(`${at}/attributes/vault/usage_type`);
      else if (v.usage_type !== 'MERCHANT' && v.usage_type !== 'PLATFORM') {
        invalid(`${at}/attributes/vault/usage_type`, v.usage_type);
      }
      if (v.customer_type !== undefined && v.customer_type !== 'CONSUMER' && v.customer_type !== 'BUSINESS') {
        invalid(`${at}/attributes/vault/customer_type`, v.customer_type);
      }
      if (v.permit_multiple_payment_tokens !== undefined && typeof v.permit_multiple_payment_tokens !== 'boolean') {
        syntax(`${at}/attributes/vault/permit_multiple_payment_tokens`, v.permit_multiple_payment_tokens);
      }
      for (const key of ['usage_pattern', 'description'] as const) {
        if (v[key] !== undefined && typeof v[key] !== 'string') syntax(`${at}/attributes/vault/${key}`, v[key]);
      }
      let customerId: string | undefined;
      if (customer !== undefined) {
        if (!isObject(customer) || typeof customer.id !== 'string') syntax(`${at}/attributes/customer`, customer);
        else customerId = customer.id;
      }
      draft.vaultRequest = {
        usage_type: String(v.usage_type),
        customer_type: typeof v.customer_type === 'string' ? v.customer_type : 'CONSUMER',
        usage_pattern: typeof v.usage_pattern === 'string' ? v.usage_pattern : undefined,
        description: typeof v.description === 'string' ? v.description : undefined,
        permit_multiple_payment_tokens: v.permit_multiple_payment_tokens === true,
        customerId,
      };
    }
  }
  const experience = paypal.experience_context;
  if (experience !== undefined) {
    if (!isObject(experience)) syntax(`${at}/experience_context`, experience);
    else {
      for (const key of ['return_url', 'cancel_url'] as const) {
        const value = experience[key];
        if (value === undefined) continue;
        if (typeof value !== 'string' || !URL.canParse(value)) syntax(`${at}/experience_context/${key}`, value);
        else if (key === 'return_url') draft.returnUrl = value;
        else draft.cancelUrl = value;
      }
    }
  }
}

// ---------------------------------------------------------------- handlers
