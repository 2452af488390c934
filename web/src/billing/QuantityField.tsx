import { TextInput } from '@mantine/core';

/** Seats: a whole number from 1, kept as typed (the API names the rule when it is not). */
export function QuantityField({
  value,
  onChange,
  description,
  error,
}: {
  value: string;
  onChange: (value: string) => void;
  description?: string;
  error?: string;
}) {
  return (
    <TextInput
      label="Quantity (seats)"
      name="quantity"
      type="number"
      inputMode="numeric"
      min={1}
      step={1}
      value={value}
      onChange={(event) => onChange(event.currentTarget.value)}
      description={description}
      error={error}
    />
  );
}
