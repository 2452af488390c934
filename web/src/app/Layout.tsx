// The frame of every page: a skip link, the header (brand, navigation, Log out), and the main landmark the pages
// fill. Within a hosted session (docs/hosted-pages.md) the header has no sign-in buttons: a portal shows
// "Back to <app>" (its returnUrl) instead of "Log out" and no Profile; a checkout shows the brand only. Focus moves to the page's heading after each navigation, so screen readers announce the new page.
import { Anchor, Box, Button, Container, Group, Text } from '@mantine/core';
import { Suspense } from 'react';
import { Link, NavLink, Outlet, useMatch, useNavigate, useNavigation } from 'react-router';
import { useConnection } from '../api/client';
import { endSession, useSession } from '../auth/session';
import { useBrand } from './brandContext';
import { hostedBackUrl } from './SessionEnded';

const NAV = [
  { to: '/', label: 'Dashboard', end: true },
  { to: '/plans', label: 'Plans', end: false },
  { to: '/invoices', label: 'Invoices', end: false },
  { to: '/profile', label: 'Profile', end: false },
];

export function Layout() {
  const brand = useBrand();
  const session = useSession();
  const navigate = useNavigate();
  const navigation = useNavigation();
  const signedIn = session.status === 'signedIn';
  const hosted = session.hosted;
  const onHostedRoute = useMatch('/hosted/*') !== null;
  const portal = hosted?.kind === 'PORTAL' && signedIn ? hosted : null;
  const portalBack = portal ? hostedBackUrl(portal, false) : null;
  const nav = hosted
    ? portal
      ? NAV.filter((item) => item.to !== '/profile')
      : []
    : signedIn
      ? // An administrator signed in here can go back to the console.
        session.role === 'ADMIN'
        ? [...NAV, { to: '/admin', label: 'Admin console', end: false }]
        : NAV
      : [];
  const brandMark = brand.logoUrl ? (
    <img className="brand-logo" src={brand.logoUrl} alt={brand.name} />
  ) : (
    <Text fw={700} c="brand" size="lg" component="span">
      {brand.name}
    </Text>
  );
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Box component="header" px="md" py="xs" className="site-header">
        <Group justify="space-between" wrap="nowrap" gap="sm">
          {hosted && !portal ? (
            brandMark
          ) : (
            <Link to="/" aria-label={`${brand.name} home`}>
              {brandMark}
            </Link>
          )}
          {hosted || onHostedRoute ? (
            portal &&
            portalBack && (
              <Anchor href={portalBack} fw={600}>
                Back to {portal.appName}
              </Anchor>
            )
          ) : signedIn ? (
            <Button
              variant="subtle"
              onClick={() => {
                void endSession().then(() => navigate('/login'));
              }}
            >
              Log out
            </Button>
          ) : (
            <Group gap="xs" wrap="nowrap">
              <Button component={Link} to="/login" variant="subtle">
                Log in
              </Button>
              <Button component={Link} to="/signup" variant="light">
                Sign up
              </Button>
            </Group>
          )}
        </Group>
        {nav.length > 0 && (
          <nav aria-label="Main">
            <Group gap="xs" mt={4} wrap="wrap">
              {nav.map((item) => (
                <NavLink key={item.to} to={item.to} end={item.end} className="nav-link">
                  {item.label}
                </NavLink>
              ))}
            </Group>
          </nav>
        )}
      </Box>
      <Container
        size="md"
        px="md"
        py="md"
        component="main"
        id="main"
        tabIndex={-1}
        aria-busy={navigation.state === 'loading'}
      >
        <ConnectionNotice />
        <Suspense fallback={null}>
          <Outlet />
        </Suspense>
      </Container>
    </>
  );
}

function ConnectionNotice() {
  const { state } = useConnection();
  if (state !== 'reconnecting') return null;
  return (
    <Text role="status" c="orange.9" fw={600} mb="sm">
      Reconnecting…
    </Text>
  );
}
