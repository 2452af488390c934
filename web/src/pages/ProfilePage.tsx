// The customer's profile, as updateCustomer takes it (only the fields sent change): name, phone, address, locale
// and notice preferences; and the password (ChangePasswordForm: the current one, then a new one).
import { Alert, Checkbox, Fieldset, Loader, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { formErrors } from '../api/errors';
import { ChangePasswordForm } from '../components/ChangePasswordForm';
import { Form, textOf } from '../components/Form';
import { Page } from '../components/Page';
import { graphql } from '../graphql';

// What the form shows, read by the page and answered by the update alike.
graphql(`
  fragment ProfileFields on Customer {
    id
    name
    email
    phone
    locale
    address {
      line1
      line2
      city
      region
      postalCode
      country
    }
    preferences {
      renewalReminders
      trialEndingReminders
      productUpdates
    }
  }
`);

const ProfileQuery = graphql(`
  query Profile {
    me {
      id
      email
      customer {
        ...ProfileFields
      }
    }
  }
`);

const UpdateProfileMutation = graphql(`
  mutation UpdateProfile($input: UpdateCustomerInput!) {
    updateCustomer(input: $input) {
      ...ProfileFields
    }
  }
`);

const LOCALES = [
  { value: 'en-KE', label: 'English (Kenya)' },
  { value: 'sw-KE', label: 'Kiswahili (Kenya)' },
  { value: 'en-GB', label: 'English (United Kingdom)' },
  { value: 'en-US', label: 'English (United States)' },
  { value: 'fr-FR', label: 'Français (France)' },
];

const ADDRESS_FIELDS = [
  { name: 'line1', label: 'Address line 1', autoComplete: 'address-line1' },
  { name: 'line2', label: 'Address line 2', autoComplete: 'address-line2' },
  { name: 'city', label: 'City', autoComplete: 'address-level2' },
  { name: 'region', label: 'Region', autoComplete: 'address-level1' },
  { name: 'postalCode', label: 'Postal code', autoComplete: 'postal-code' },
  { name: 'country', label: 'Country (two letters, e.g. KE)', autoComplete: 'country' },
] as const;

const NOTICES = [
  { name: 'renewalReminders', label: 'Renewal reminders' },
  { name: 'trialEndingReminders', label: 'Trial ending reminders' },
  { name: 'productUpdates', label: 'Product updates' },
] as const;

const FIELDS = [
  'name',
  'phone',
  'locale',
  'address',
  'address.line1',
  'address.line2',
  'address.city',
  'address.region',
  'address.postalCode',
  'address.country',
];

export default function ProfilePage() {
  const [query] = useQuery({ query: ProfileQuery, requestPolicy: 'network-only' });
  const [result, update] = useMutation(UpdateProfileMutation);
  const [saved, setSaved] = useState(false);
  const customer = query.data?.me.customer;
  const errors = formErrors(result.error, FIELDS);

  if (!customer) {
    return (
      <Page title="Profile">
        {query.fetching ? (
          <Loader role="status" aria-label="Loading your profile" />
        ) : (
          <Alert color="red">No customer profile.</Alert>
        )}
      </Page>
    );
  }

  async function submit(form: FormData) {
    if (!customer) return;
    setSaved(false);
    const line1 = textOf(form, 'line1');
    const optional = (name: string) => textOf(form, name) || null;
    const answer = await update({
      input: {
        id: customer.id,
        name: textOf(form, 'name'),
        phone: textOf(form, 'phone') || undefined,
        locale: textOf(form, 'locale') || undefined,
        address:
          line1 || textOf(form, 'city')
            ? {
                line1,
                line2: optional('line2'),
                city: textOf(form, 'city'),
                region: optional('region'),
                postalCode: optional('postalCode'),
                country: textOf(form, 'country').toUpperCase(),
              }
            : undefined,
        preferences: {
          renewalReminders: form.get('renewalReminders') === 'on',
          trialEndingReminders: form.get('trialEndingReminders') === 'on',
          productUpdates: form.get('productUpdates') === 'on',
        },
      },
    });
    setSaved(!answer.error);
  }

  const address = customer.address;
  const locales = LOCALES.some((option) => option.value === customer.locale)
    ? LOCALES
    : [{ value: customer.locale, label: customer.locale }, ...LOCALES];

  return (
    <Page title="Profile">
      <Text>Signed in as {query.data?.me.email}</Text>
      {saved && (
        <Alert color="green" role="status">
          Your profile is saved.
        </Alert>
      )}
      <Form onSubmit={submit} message={errors.message} submitLabel="Save profile" busy={result.fetching} maw={640}>
        <TextInput
          label="Name"
          name="name"
          defaultValue={customer.name}
          autoComplete="name"
          required
          error={errors.fields.name}
        />
        <TextInput
          label="Phone"
          name="phone"
          type="tel"
          autoComplete="tel"
          description="E.164 (+254712345678); Kenyan mobiles may be written 0712345678."
          defaultValue={customer.phone ?? ''}
          error={errors.fields.phone}
        />
        <Select
          label="Language and region"
          name="locale"
          data={locales}
          defaultValue={customer.locale}
          allowDeselect={false}
          description="How money and dates are written to you."
          error={errors.fields.locale}
        />
        <Fieldset legend="Address">
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {ADDRESS_FIELDS.map((field) => (
              <TextInput
                key={field.name}
                label={field.label}
                name={field.name}
                autoComplete={field.autoComplete}
                maxLength={field.name === 'country' ? 2 : undefined}
                defaultValue={address?.[field.name] ?? ''}
                error={
                  errors.fields[`address.${field.name}`] ?? (field.name === 'line1' ? errors.fields.address : undefined)
                }
              />
            ))}
          </SimpleGrid>
        </Fieldset>
        <Fieldset legend="Emails we send you">
          <Stack gap="xs">
            {NOTICES.map((notice) => (
              <Checkbox
                key={notice.name}
                label={notice.label}
                name={notice.name}
                defaultChecked={customer.preferences[notice.name]}
              />
            ))}
            <Text size="sm">Receipts and payment problems are always sent.</Text>
          </Stack>
        </Fieldset>
      </Form>
      <section aria-labelledby="password-heading">
        <Title order={2} size="h3" id="password-heading" mb="xs">
          Password
        </Title>
        <ChangePasswordForm />
      </section>
    </Page>
  );
}
