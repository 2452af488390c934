// "New product": its stable code (what apps ask entitlement about), name, description and features.
import { Button, Stack, Text, Textarea, TextInput } from '@mantine/core';
import type { FormEvent } from 'react';
import { useMutation } from 'urql';
import { formErrors } from '../../api/errors';
import { FormMessage } from '../../components/FormMessage';
import { lines } from './formValues';
import { CreateProductMutation } from './operations';

export function ProductForm({ onCreated }: { onCreated: () => void }) {
  const [result, createProduct] = useMutation(CreateProductMutation);
  const errors = formErrors(result.error, ['code', 'name', 'description']);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const element = event.currentTarget;
    const form = new FormData(element);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    const answer = await createProduct({
      input: {
        code: text('code'),
        name: text('name'),
        description: text('description') || undefined,
        features: lines(text('features')),
      },
    });
    if (answer.data) {
      element.reset();
      onCreated();
    }
  }
  return (
    <form onSubmit={(event) => void submit(event)} noValidate aria-labelledby="new-product-heading">
      <Stack gap="sm" maw={480}>
        <Text fw={700} id="new-product-heading" component="h3" size="lg">
          New product
        </Text>
        <FormMessage message={errors.message} />
        <TextInput name="code" label="Code" description="Stable, e.g. analytics" required error={errors.fields.code} />
        <TextInput name="name" label="Product name" required error={errors.fields.name} />
        <TextInput name="description" label="Description" error={errors.fields.description} />
        <Textarea name="features" label="Product features" description="One per line" autosize minRows={2} />
        <Button type="submit" loading={result.fetching} disabled={result.fetching}>
          Create product
        </Button>
      </Stack>
    </form>
  );
}
