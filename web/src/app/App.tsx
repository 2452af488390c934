import { MantineProvider } from '@mantine/core';
import { useEffect, useMemo } from 'react';
import { RouterProvider } from 'react-router/dom';
import { Provider as UrqlProvider } from 'urql';
import { createApiClient } from '../api/client';
import { useSession } from '../auth/session';
import { BrandContext } from './brandContext';
import type { Brand } from './pageSettings';
import { router } from './router';
import { themeFor } from './theme';

export function App({ brand, styleNonce }: { brand: Brand; styleNonce: string | undefined }) {
  const theme = useMemo(() => themeFor(brand), [brand]);
  const session = useSession();
  // One client per person (or hosted page's customer): a sign-in or sign-out drops the cache and the socket of the
  // previous one.
  const who = session.userId ?? session.hosted?.customer.id ?? null;
  const api = useMemo(() => createApiClient(session.status === 'signedIn'), [session.status, who]);
  useEffect(() => () => api.dispose(), [api]);
  return (
    <MantineProvider theme={theme} getStyleNonce={styleNonce ? () => styleNonce : undefined}>
      <BrandContext.Provider value={brand}>
        <UrqlProvider value={api.client}>
          <RouterProvider router={router} />
        </UrqlProvider>
      </BrandContext.Provider>
    </MantineProvider>
  );
}
