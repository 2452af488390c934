// The customer's profile, as updateCustomer takes it (only the fields sent change): name, phone, address, locale
// and notice preferences. Changing the password goes through the emailed reset link until the API has
// changePassword (web/src/later/ChangePasswordForm.tsx).
import {
  Alert,
  Anchor,
  Checkbox,
  Fieldset,
  Loader,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { formErrors } from '../api/errors';
import { Form, textOf } from '../components/Form';
import { Page } from '../components/Page';
import { graphql } from '../graphql';

const ProfileQuery = graphql(`
  query Profile {
    me {
      id
      email
      customer {
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
    }
  }
`);

const UpdateProfileMutation = graphql(`
  mutation UpdateProfile($input: UpdateCustomerInput!) {
    updateCustomer(input: $input) {
      id
      name
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
  }
`);

const LOCALES = [
  { value: 'en-KE', label: 'English (Kenya)' },
  { value: 'sw-KE', label: 'Kiswahili (Kenya)' },
  { value: 'en-GB', label: 'English (United Kingdom)' },
  { value: 'en-US', label: 'English (United States)' },
  { value: 'fr-FR', label: 'Français (France)' },
];

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
          <Loader aria-label="Loading your profile" />
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
            <TextInput
              label="Address line 1"
              name="line1"
              autoComplete="address-line1"
              defaultValue={address?.line1 ?? ''}
              error={errors.fields['address.line1'] ?? errors.fields.address}
            />
            <TextInput
              label="Address line 2"
              name="line2"
              autoComplete="address-line2"
              defaultValue={address?.line2 ?? ''}
              error={errors.fields['address.line2']}
            />
            <TextInput
              label="City"
              name="city"
              autoComplete="address-level2"
              defaultValue={address?.city ?? ''}
              error={errors.fields['address.city']}
            />
            <TextInput
              label="Region"
              name="region"
              autoComplete="address-level1"
              defaultValue={address?.region ?? ''}
              error={errors.fields['address.region']}
            />
            <TextInput
              label="Postal code"
              name="postalCode"
              autoComplete="postal-code"
              defaultValue={address?.postalCode ?? ''}
              error={errors.fields['address.postalCode']}
            />
            <TextInput
              label="Country (two letters, e.g. KE)"
              name="country"
              autoComplete="country"
              maxLength={2}
              defaultValue={address?.country ?? ''}
              error={errors.fields['address.country']}
            />
          </SimpleGrid>
        </Fieldset>
        <Fieldset legend="Emails we send you">
          <Stack gap="xs">
            <Checkbox
              label="Renewal reminders"
              name="renewalReminders"
              defaultChecked={customer.preferences.renewalReminders}
            />
            <Checkbox
              label="Trial ending reminders"
              name="trialEndingReminders"
              defaultChecked={customer.preferences.trialEndingReminders}
            />
            <Checkbox
              label="Product updates"
              name="productUpdates"
              defaultChecked={customer.preferences.productUpdates}
            />
            <Text size="sm">Receipts and payment problems are always sent.</Text>
          </Stack>
        </Fieldset>
      </Form>
      <section aria-labelledby="password-heading">
        <Title order={2} size="h3" id="password-heading" mb="xs">
          Password
        </Title>
        <Text>
          To change your password,{' '}
          <Anchor component={Link} to="/forgot-password">
            ask for a reset link
          </Anchor>
          : we email you a link to choose a new one.
        </Text>
      </section>
    </Page>
  );
}
