// PayPal's error envelope: {name, message, debug_id, details[{field, value, location, issue, description}], links}.
// OAuth endpoints answer in the RFC 6749 style instead: {error, error_description}.
import { debugId } from './ids.js';

export interface ErrorDetail {
  field?: string;
  value?: string;
  location?: 'body' | 'path' | 'query' | 'header';
  issue: string;
  description: string;
}

export interface Link {
  href: string;
  rel: string;
  method: string;
  encType?: string;
}

export interface ErrorBody {
  name: string;
  message: string;
  debug_id: string;
  details?: ErrorDetail[];
  links: Link[];
}

/** A reply the router sends as-is: status, JSON body, extra headers. */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

const NAMES: Record<number, { name: string; message: string }> = {
  400: { name: 'INVALID_REQUEST', message: 'Request is not well-formed, syntactically incorrect, or violates schema.' },
  401: {
    name: 'AUTHENTICATION_FAILURE',
    message: 'Authentication failed due to invalid authentication credentials or a missing Authorization header.',
  },
  403: { name: 'NOT_AUTHORIZED', message: 'Authorization failed due to insufficient permissions.' },
  404: { name: 'RESOURCE_NOT_FOUND', message: 'The specified resource does not exist.' },
  405: { name: 'METHOD_NOT_SUPPORTED', message: 'The server does not implement the requested HTTP method.' },
  413: { name: 'INVALID_REQUEST', message: 'Request is not well-formed, syntactically incorrect, or violates schema.' },
  415: { name: 'UNSUPPORTED_MEDIA_TYPE', message: "The server does not support the request payload's media type." },
  422: {
    name: 'UNPROCESSABLE_ENTITY',
    message: 'The requested action could not be performed, semantically incorrect, or failed business validation.',
  },
  500: { name: 'INTERNAL_SERVER_ERROR', message: 'An internal server error has occurred.' },
  503: { name: 'SERVICE_UNAVAILABLE', message: 'Service Unavailable.' },
};

/** Descriptions PayPal gives for each issue (text from the Orders v2 / Payments v2 specification). */
export const ISSUES: Record<string, string> = {
  MALFORMED_REQUEST_JSON: 'The request JSON is not well formed.',
  MISSING_REQUIRED_PARAMETER: 'A required field / parameter is missing.',
  INVALID_PARAMETER_VALUE: 'The value of a field is invalid.',
  INVALID_PARAMETER_SYNTAX: 'The value of a field does not conform to the expected format.',
  INVALID_STRING_MAX_LENGTH: 'The value of a field is too long.',
  INVALID_ARRAY_MAX_ITEMS: 'The number of items in an array parameter is too large.',
  INCOMPATIBLE_PARAMETER_VALUE: 'The value of the field is incompatible/redundant with other fields in the order.',
  DECIMAL_PRECISION: 'If the currency supports decimals, only two decimal place precision is supported.',
  DECIMALS_NOT_SUPPORTED: 'Currency does not support decimals.',
  CANNOT_BE_ZERO_OR_NEGATIVE:
    'Must be greater than zero. If the currency supports decimals, only two decimal place precision is supported.',
  CURRENCY_NOT_SUPPORTED:
    'Currency code is not currently supported. Please refer https://developer.paypal.com/api/rest/reference/currency-codes/ for list of supported currency codes.',
  INVALID_RESOURCE_ID: 'Specified resource ID does not exist. Please check the resource ID and try again.',
  ORDER_NOT_APPROVED:
    "Payer has not yet approved the Order for payment. Please redirect the payer to the 'rel':'approve' url returned as part of the HATEOAS links within the Create Order call or provide a valid payment_source in the request.",
  ORDER_ALREADY_CAPTURED: "Order already captured.If 'intent=CAPTURE' only one capture per order is allowed.",
  ORDER_CANNOT_BE_APPROVED: 'The order is not in a state where the payer can approve it.',
  INSTRUMENT_DECLINED:
    "The instrument presented  was either declined by the processor or bank, or it can't be used for this payment.",
  PAYER_CANNOT_PAY:
    'Payer cannot pay for this transaction. Please contact the payer to find other ways to pay for this transaction.',
  TRANSACTION_REFUSED: 'The request was refused.',
  DUPLICATE_INVOICE_ID:
    'Duplicate Invoice ID detected. To avoid a potential duplicate transaction your account setting requires that Invoice Id be unique for each transaction.',
  MAX_NUMBER_OF_PAYMENT_ATTEMPTS_EXCEEDED:
    'You have exceeded the maximum number of payment attempts for this order. Please create a new order.',
  AGREEMENT_ALREADY_CANCELLED: 'The requested agreement is already canceled.',
  TOKEN_ID_NOT_FOUND: 'Specified token was not found. Verify the token and try the request again.',
  PAYMENT_SOURCE_NOT_SUPPORTED: 'The payment source is not supported by this sandbox: only payment_source.paypal is.',
  CAPTURE_FULLY_REFUNDED: 'The capture has already been fully refunded',
  REFUND_AMOUNT_EXCEEDED:
    'The refund amount must be less than or equal to the capture amount that has not yet been refunded.',
  PENDING_CAPTURE:
    'Cannot initiate a refund as the capture is pending. Capture is typically pending when the payer has funded the transaction using e-check/bank funded.',
  CURRENCY_MISMATCH: 'Refund must be in the same currency as the capture.',
  REFUND_NOT_ALLOWED: 'Refund cannot be issued for this capture.',
};

/** Issue docs: where PayPal's `information_link` for an issue points. */
const DOC_BASE: Record<string, string> = {
  orders: 'https://developer.paypal.com/docs/api/orders/v2/#error-',
  payments: 'https://developer.paypal.com/docs/api/payments/v2/#error-',
  vault: 'https://developer.paypal.com/docs/api/payment-tokens/v3/#error-',
  webhooks: 'https://developer.paypal.com/docs/api/webhooks/v1/#error-',
};

export type Api = keyof typeof DOC_BASE;

export function detail(
  issue: string,
  where?: { field: string; value?: unknown; location?: ErrorDetail['location'] },
): ErrorDetail {
  const description = ISSUES[issue] ?? issue;
  if (!where) return { issue, description };
  // Key order as PayPal sends it: field, value, location, issue, description.
  const out: Partial<ErrorDetail> = { field: where.field };
  if (where.value !== undefined) {
    out.value = typeof where.value === 'string' ? where.value : JSON.stringify(where.value);
  }
  out.location = where.location ?? 'body';
  return { ...out, issue, description };
}

/** Builds PayPal's error envelope for `status` with `details`; the first detail names the information link. */
export function apiError(
  status: number,
  api: Api,
  details: ErrorDetail[],
  extraLinks: Link[] = [],
  headers?: Record<string, string>,
): Reply {
  const head = NAMES[status] ?? NAMES[500]!;
  const links: Link[] = details[0]
    ? [{ href: `${DOC_BASE[api]}${details[0].issue}`, rel: 'information_link', method: 'GET' }]
    : [];
  const body: ErrorBody = {
    name: head.name,
    message: head.message,
    debug_id: debugId(),
    details,
    links: [...links, ...extraLinks],
  };
  return { status, body, headers };
}

/** 401 for a bearer token the sandbox does not hold or that has expired (as seen in live traffic). */
export const invalidToken = (): Reply => ({
  status: 401,
  body: { error: 'invalid_token', error_description: 'Access Token not found in cache' },
});

/** 401 from /v1/oauth2/token for a wrong client id / secret (as seen in live traffic). */
export const invalidClient = (): Reply => ({
  status: 401,
  body: { error: 'invalid_client', error_description: 'Client Authentication failed' },
});
