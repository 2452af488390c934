// The frame of every page: a skip link, the header (brand, navigation, Log out), and the main landmark the pages
// fill. Focus moves to the page's heading after each navigation, so screen readers announce the new page.
import { Box, Button, Container, Group, Text } from '@mantine/core';
import { Suspense } from 'react';
import { Link, NavLink, Outlet, useNavigate, useNavigation } from 'react-router';
import { useConnection } from '../api/client';
import { endSession, useSession } from '../auth/session';
import { useBrand } from './brandContext';

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
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Box component="header" px="md" py="xs" className="site-header">
        <Group justify="space-between" wrap="nowrap" gap="sm">
          <Link to="/" aria-label={`${brand.name} home`}>
            {brand.logoUrl ? (
              <img className="brand-logo" src={brand.logoUrl} alt={brand.name} />
            ) : (
              <Text fw={700} c="brand" size="lg" component="span">
                {brand.name}
              </Text>
            )}
          </Link>
          {signedIn ? (
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
        {signedIn && (
          <nav aria-label="Main">
            <Group gap="xs" mt={4} wrap="wrap">
              {NAV.map((item) => (
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
