import { Anchor, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { Page } from './Page';

/** The page a finished step shows: what happened, and the one link onwards. */
export function DonePage({
  title,
  children,
  to = '/login',
  link = 'Log in',
}: {
  title: string;
  children: ReactNode;
  to?: string;
  link?: string;
}) {
  return (
    <Page title={title}>
      <Text>{children}</Text>
      <Anchor component={Link} to={to}>
        {link}
      </Anchor>
    </Page>
  );
}
