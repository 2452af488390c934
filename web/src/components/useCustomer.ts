// The signed-in person's customer profile: its id (which subscribe needs) and its locale (how money and dates
// are written). Cached by the client, so every page asks once. A hosted page's session is nobody who signs in
// (`me` is FORBIDDEN to it): its customer is the one redeemHostedSession answered.
import { useQuery } from 'urql';
import { useSession } from '../auth/session';
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
        phone
        locale
      }
    }
  }
`);

export function useCustomer() {
  const { hosted } = useSession();
  const [result, refetch] = useQuery({ query: MeQuery, requestPolicy: 'cache-first', pause: hosted !== null });
  const customer = hosted ? hosted.customer : (result.data?.me.customer ?? null);
  return {
    me: hosted ? null : (result.data?.me ?? null),
    customer,
    locale: usableLocale(customer?.locale),
    fetching: hosted ? false : result.fetching,
    error: hosted ? undefined : result.error,
    refetch,
  };
}
