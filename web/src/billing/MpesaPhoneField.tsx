import { TextInput, type TextInputProps } from '@mantine/core';
import { MPESA_PHONE_RULE } from './mpesa';

/** The phone M-Pesa prompts, with its rule shown under the label. */
export function MpesaPhoneField(props: Omit<TextInputProps, 'label' | 'name' | 'type' | 'description'>) {
  return (
    <TextInput
      label="M-Pesa phone number"
      name="phone"
      type="tel"
      inputMode="tel"
      autoComplete="tel"
      placeholder="0712 345 678"
      description={MPESA_PHONE_RULE}
      {...props}
    />
  );
}
