import { Center, Loader } from '@mantine/core';
import { Navigate, Outlet, useLocation } from 'react-router';
import { useSession } from '../auth/session';
import { SessionEnded } from './SessionEnded';

/**
 * Pages for a signed-in customer: others are sent to log in, and come back after. A hosted portal's session uses
 * them too; a hosted checkout's has only its own page (/hosted), where PayPal's return link ends up as well.
 */
export function RequireSession() {
  const session = useSession();
  const location = useLocation();
  if (session.status === 'restoring') {
    return (
      <Center py="xl">
        <Loader role="status" aria-label="Loading" />
      </Center>
    );
  }
  if (session.hosted && session.status === 'ended') return <SessionEnded hosted={session.hosted} />;
  if (session.hosted?.kind === 'CHECKOUT') return <Navigate replace to="/hosted" />;
  if (session.status === 'signedOut') {
    const next = `${location.pathname}${location.search}`;
    return <Navigate replace to={`/login?next=${encodeURIComponent(next)}`} />;
  }
  return <Outlet />;
}
