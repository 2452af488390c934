import { Center, Loader } from '@mantine/core';
import { Navigate, Outlet, useLocation } from 'react-router';
import { useSession } from '../auth/session';

/** Pages for a signed-in customer: others are sent to log in, and come back after. */
export function RequireSession() {
  const session = useSession();
  const location = useLocation();
  if (session.status === 'restoring') {
    return (
      <Center py="xl">
        <Loader aria-label="Loading" />
      </Center>
    );
  }
  if (session.status === 'signedOut') {
    const next = `${location.pathname}${location.search}`;
    return <Navigate replace to={`/login?next=${encodeURIComponent(next)}`} />;
  }
  return <Outlet />;
}
