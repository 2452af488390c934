// The signed-in person's customer profile: its id (which subscribe needs) and its locale (how money and dates
// are written). Cached by the client, so every page asks once.
import { useQuery } from 'urql';
import { graphql } from '../graphql';
import { usableLocale } from '../lib/format';

export const MeQuery = graphql(`
  query Me {
    me {
      id
      email
      role
      emailVerifiedAt
      customer {
        id
        name
        email
        locale
      }
    }
  }
`);

export function useCustomer() {
  const [result, refetch] = useQuery({ query: MeQuery, requestPolicy: 'cache-first' });
  const customer = result.data?.me.customer ?? null;
  return {
    me: result.data?.me ?? null,
    customer,
    locale: usableLocale(customer?.locale),
    fetching: result.fetching,
    error: result.error,
    refetch,
  };
}
