import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { ValidationError } from '../../../src/kernel/errors.js';
import {
  chargeMethodFor,
  labelOf,
  openMethod,
  paymentMethodFrom,
  paymentMethodSchema,
  type PaymentMethodInput,
  sealingContext,
  sealMethod,
} from '../../../src/payments/paymentMethods.js';
import { FieldCipher } from '../../../src/security/fieldCipher.js';

const path = 'input.paymentMethod';

function methodFrom(input: PaymentMethodInput, currency: string) {
  return paymentMethodFrom(paymentMethodSchema.parse(input), currency, path);
}

function refusal(input: PaymentMethodInput, currency: string): Record<string, string> {
  try {
    methodFrom(input, currency);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).fields;
  }
  throw new Error('expected a ValidationError');
}

const MPESA_PHONE_RULE = 'must be a Kenyan mobile number for M-Pesa, e.g. 0712345678 or +254712345678';

describe('paymentMethodFrom', () => {
  it.each([
    ['0712345678', '+254712345678'],
    ['0112345678', '+254112345678'],
    ['+254712345678', '+254712345678'],
    ['254712345678', '+254712345678'],
    ['254112345678', '+254112345678'],
    ['0712 345 678', '+254712345678'],
    ['+254 (712) 345-678', '+254712345678'],
  ])('accepts the M-Pesa phone %s as %s', (phone, e164) => {
    expect(methodFrom({ provider: 'MPESA', phone }, 'KES')).toEqual({ kind: 'mpesa', phone: e164 });
  });

  it('accepts PayPal without a phone in a PayPal currency, to be approved at the first payment', () => {
    expect(methodFrom({ provider: 'PAYPAL' }, 'USD')).toEqual({ kind: 'paypal', vaultId: null });
    expect(methodFrom({ provider: 'PAYPAL', phone: null }, 'EUR')).toEqual({ kind: 'paypal', vaultId: null });
  });

  it('refuses M-Pesa for a plan not billed in KES', () => {
    expect(refusal({ provider: 'MPESA', phone: '0712345678' }, 'USD')).toEqual({
      [`${path}.provider`]: 'MPESA takes KES only; this plan is billed in USD',
    });
  });

  it('refuses PayPal for a plan billed in KES', () => {
    expect(refusal({ provider: 'PAYPAL' }, 'KES')).toEqual({
      [`${path}.provider`]: 'PAYPAL cannot take KES; pay KES with MPESA',
    });
  });

  it.each([
    ['a Nairobi landline', '020 2222222'],
    ['a landline in E.164', '+254202222222'],
    ['a mobile of another country', '+255712345678'],
    ['a number too short', '071234567'],
    ['no number at all', ''],
  ])('refuses %s for M-Pesa', (_case, phone) => {
    expect(refusal({ provider: 'MPESA', phone }, 'KES')).toEqual({ [`${path}.phone`]: MPESA_PHONE_RULE });
  });

  it('refuses M-Pesa without a phone', () => {
    expect(refusal({ provider: 'MPESA' }, 'KES')).toEqual({ [`${path}.phone`]: MPESA_PHONE_RULE });
  });

  it('refuses a phone given with PayPal', () => {
    expect(refusal({ provider: 'PAYPAL', phone: '0712345678' }, 'USD')).toEqual({
      [`${path}.phone`]: 'must be empty for PAYPAL',
    });
  });
});

describe('labelOf', () => {
  it('shows only the last four digits of an M-Pesa phone', () => {
    const label = labelOf({ kind: 'mpesa', phone: '+254712345678' });
    expect(label).toBe('M-Pesa •••• 5678');
    expect(label.replace(/\D/g, '')).toBe('5678');
    for (const spelling of ['+254712345678', '254712345678', '0712345678', '712345678', '12345678'])
      expect(label).not.toContain(spelling);
  });

  it('never shows a PayPal vault id', () => {
    expect(labelOf({ kind: 'paypal', vaultId: '8kk8451t' })).toBe('PayPal (saved account)');
    expect(labelOf({ kind: 'paypal', vaultId: null })).toBe('PayPal (approval at first payment)');
  });
});

describe('chargeMethodFor', () => {
  const publicUrl = 'https://billing.example.com';

  it('asks the buyer to approve the first PayPal payment, returning to this API', () => {
    const method = chargeMethodFor({ kind: 'paypal', vaultId: null }, publicUrl);
    expect(method).toEqual({
      kind: 'paypalApproval',
      returnUrl: 'https://billing.example.com/payments/paypal/return',
      cancelUrl: 'https://billing.example.com/payments/paypal/cancel',
    });
  });

  it('charges a saved PayPal account through its vault id', () => {
    expect(chargeMethodFor({ kind: 'paypal', vaultId: '8kk8451t' }, publicUrl)).toEqual({
      kind: 'paypalVault',
      vaultId: '8kk8451t',
    });
  });

  it('charges an M-Pesa phone as it is', () => {
    expect(chargeMethodFor({ kind: 'mpesa', phone: '+254712345678' }, publicUrl)).toEqual({
      kind: 'mpesa',
      phone: '+254712345678',
    });
  });
});

describe('sealed methods', () => {
  it('open only in the row they were sealed for', () => {
    const cipher = new FieldCipher([{ id: 'k', key: randomBytes(32) }]);
    const method = { kind: 'mpesa', phone: '+254712345678' } as const;
    const id = '5b0b3f7e-2a59-4c55-8f0e-6a4b8d1f2c3e';
    const sealed = sealMethod(cipher, method, sealingContext.subscription(id));
    expect(openMethod(cipher, sealed, sealingContext.subscription(id))).toEqual(method);
    expect(() => openMethod(cipher, sealed, sealingContext.payment(id))).toThrow(/does not open here/);
  });
});
