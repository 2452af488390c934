// A page's one <h1>, the document title that goes with it, and focus on the heading after a navigation (so a
// screen reader announces the page that opened).
import { Stack, Title } from '@mantine/core';
import { useEffect, useRef, type ReactNode } from 'react';
import { useBrand } from '../app/brandContext';

export function Page({ title, children, actions }: { title: string; children: ReactNode; actions?: ReactNode }) {
  const brand = useBrand();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · ${brand.name}`;
  }, [title, brand.name]);
  useEffect(() => {
    // Not on the first page of a visit: the browser starts at the top of the document there.
    if (window.history.state && (window.history.state as { idx?: number }).idx) heading.current?.focus();
  }, []);
  return (
    <Stack gap="md">
      <Title order={1} ref={heading} tabIndex={-1} size="h2">
        {title}
      </Title>
      {actions}
      {children}
    </Stack>
  );
}
