// Every page, lazily loaded: the first page downloads the shell (layout, session, client) and its own chunk only.
// To add a page: a default-exported component in src/pages/, and a route here (inside RequireSession when it needs
// a signed-in customer).
import type { ComponentType } from 'react';
import { createBrowserRouter, Navigate, useParams, type RouteObject } from 'react-router';
import { AdminLayout } from '../admin/AdminLayout';
import { Layout } from './Layout';
import { RequireSession } from './RequireSession';

function page(load: () => Promise<{ default: ComponentType }>): RouteObject['lazy'] {
  return async () => ({ Component: (await load()).default });
}

function PayInvoiceLink() {
  const { invoiceId = '' } = useParams();
  return <Navigate replace to={`/invoices?pay=${encodeURIComponent(invoiceId)}`} />;
}

export const routes: RouteObject[] = [
  {
    // The admin console (web/src/admin/): its own frame, for ADMIN users only.
    path: 'admin',
    element: <AdminLayout />,
    children: [
      { index: true, lazy: page(() => import('../admin/pages/OverviewPage')) },
      { path: 'customers', lazy: page(() => import('../admin/pages/CustomersPage')) },
      { path: 'customers/:id', lazy: page(() => import('../admin/pages/CustomerPage')) },
      { path: 'subscriptions', lazy: page(() => import('../admin/pages/SubscriptionsPage')) },
      { path: 'subscriptions/:id', lazy: page(() => import('../admin/pages/SubscriptionPage')) },
      { path: 'invoices', lazy: page(() => import('../admin/pages/InvoicesPage')) },
      { path: 'invoices/:id', lazy: page(() => import('../admin/pages/InvoicePage')) },
      { path: 'payments', lazy: page(() => import('../admin/pages/PaymentsPage')) },
      { path: 'catalog', lazy: page(() => import('../admin/pages/CatalogPage')) },
      { path: 'apps', lazy: page(() => import('../admin/pages/AppsPage')) },
      { path: 'operations', lazy: page(() => import('../admin/pages/OperationsPage')) },
      { path: '*', lazy: page(() => import('../admin/pages/AdminNotFoundPage')) },
    ],
  },
  {
    element: <Layout />,
    children: [
      { path: 'signup', lazy: page(() => import('../pages/auth/SignupPage')) },
      { path: 'login', lazy: page(() => import('../pages/auth/LoginPage')) },
      { path: 'forgot-password', lazy: page(() => import('../pages/auth/ForgotPasswordPage')) },
      // The emails link to /account/… (LINK_PATHS in src/emails/renderValues.ts); the short paths work too.
      { path: 'verify-email', lazy: page(() => import('../pages/auth/VerifyEmailPage')) },
      { path: 'account/verify-email', lazy: page(() => import('../pages/auth/VerifyEmailPage')) },
      // Hosted checkout and portal (docs/hosted-pages.md): redeems the link, then /hosted shows a checkout.
      { path: 'hosted/:token', lazy: page(() => import('../pages/HostedPage')) },
      { path: 'hosted', lazy: page(() => import('../pages/HostedPage')) },
      { path: 'reset-password', lazy: page(() => import('../pages/auth/ResetPasswordPage')) },
      { path: 'account/reset-password', lazy: page(() => import('../pages/auth/ResetPasswordPage')) },
      {
        element: <RequireSession />,
        children: [
          { index: true, lazy: page(() => import('../pages/DashboardPage')) },
          { path: 'plans', lazy: page(() => import('../pages/PlansPage')) },
          { path: 'subscribe/:planId', lazy: page(() => import('../pages/SubscribePage')) },
          { path: 'subscriptions/:id', lazy: page(() => import('../pages/SubscriptionPage')) },
          { path: 'invoices', lazy: page(() => import('../pages/InvoicesPage')) },
          { path: 'profile', lazy: page(() => import('../pages/ProfilePage')) },
          // The other links in the emails (LINK_PATHS): billing pages of the portal.
          { path: 'billing', element: <Navigate replace to="/" /> },
          { path: 'billing/payment-method', element: <Navigate replace to="/" /> },
          { path: 'billing/invoices/:invoiceId/pay', element: <PayInvoiceLink /> },
        ],
      },
      { path: '*', lazy: page(() => import('../pages/NotFoundPage')) },
    ],
  },
];

export const router = createBrowserRouter(routes);
