// The console's frame: a skip link, the header (brand, Log out), the navigation (a sidebar on wide screens, a
// "Menu" disclosure on phones) and the main landmark. Only ADMIN users get past it: someone else signed in sees a
// refusal page (the API refuses them too), and nobody signed in is sent to log in and brought back.
import { Anchor, Box, Button, Center, Group, Loader, Text } from '@mantine/core';
import { Suspense, useEffect, useState } from 'react';
import { Link, Navigate, NavLink, Outlet, useLocation, useNavigate, useNavigation } from 'react-router';
import { useBrand } from '../app/brandContext';
import { endSession, useSession } from '../auth/session';
import { Page } from '../components/Page';

const NAV = [
  { to: '/admin', label: 'Overview', end: true },
  { to: '/admin/customers', label: 'Customers', end: false },
  { to: '/admin/subscriptions', label: 'Subscriptions', end: false },
  { to: '/admin/invoices', label: 'Invoices', end: false },
  { to: '/admin/payments', label: 'Payments', end: false },
  { to: '/admin/catalog', label: 'Catalog', end: false },
  { to: '/admin/apps', label: 'Client apps', end: false },
  { to: '/admin/operations', label: 'Operations', end: false },
];

export function AdminLayout() {
  const session = useSession();
  const location = useLocation();
  if (session.status === 'restoring') {
    return (
      <Center py="xl">
        <Loader role="status" aria-label="Loading" />
      </Center>
    );
  }
  if (session.status !== 'signedIn' || session.hosted) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate replace to={`/login?next=${encodeURIComponent(next)}`} />;
  }
  return <AdminFrame admin={session.role === 'ADMIN'} />;
}

function AdminFrame({ admin }: { admin: boolean }) {
  const brand = useBrand();
  const navigate = useNavigate();
  const navigation = useNavigation();
  const location = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  // A link followed from the phone's menu closes it, so the page it opened is what shows.
  useEffect(() => setMenuOpen(false), [location.pathname]);
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Box component="header" px="md" py="xs" className="site-header">
        <Group justify="space-between" wrap="nowrap" gap="sm">
          <Link to="/admin" aria-label={`${brand.name} admin home`} className="admin-brand">
            <Text fw={700} c="brand" size="lg" component="span">
              {brand.name}
            </Text>{' '}
            <Text component="span" fw={600}>
              Admin
            </Text>
          </Link>
          <Group gap="xs" wrap="nowrap">
            {admin && (
              <Button
                className="admin-menu-toggle"
                variant="default"
                aria-expanded={menuOpen}
                aria-controls="admin-nav"
                onClick={() => setMenuOpen((open) => !open)}
              >
                Menu
              </Button>
            )}
            <Button
              variant="subtle"
              onClick={() => {
                void endSession().then(() => navigate('/login'));
              }}
            >
              Log out
            </Button>
          </Group>
        </Group>
      </Box>
      <div className="admin-shell">
        {admin && (
          <nav aria-label="Admin" id="admin-nav" className="admin-nav" data-open={menuOpen}>
            <ul>
              {NAV.map((item) => (
                <li key={item.to}>
                  <NavLink to={item.to} end={item.end} className="nav-link">
                    {item.label}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
        )}
        <Box component="main" id="main" tabIndex={-1} px="md" py="md" aria-busy={navigation.state === 'loading'}>
          {admin ? (
            <Suspense fallback={null}>
              <Outlet />
            </Suspense>
          ) : (
            <Refused />
          )}
        </Box>
      </div>
    </>
  );
}

function Refused() {
  return (
    <Page title="Administrators only">
      <Text>
        The admin console is for administrators. You are signed in with an account that is not one, so there is nothing
        here for you.
      </Text>
      <Anchor component={Link} to="/">
        Go to your dashboard
      </Anchor>
    </Page>
  );
}
