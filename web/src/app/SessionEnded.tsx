// A hosted page's session has no refresh token: when its access token expires the page ends, and says how to get
// back to the app that sent the customer (which makes a new link when asked).
import { Anchor, Stack, Text, Title } from '@mantine/core';
import { useEffect } from 'react';
import type { HostedContext } from '../auth/session';

/** Where a hosted page sends the customer back: the checkout's success or cancel page, or the portal's return. */
export function hostedBackUrl(hosted: HostedContext, paid: boolean): string | null {
  const url = hosted.kind === 'PORTAL' ? hosted.returnUrl : paid ? hosted.successUrl : hosted.cancelUrl;
  return url && /^https?:\/\//i.test(url) ? url : null;
}

export function SessionEnded({ hosted }: { hosted: HostedContext }) {
  const back = hostedBackUrl(hosted, hosted.subscriptionId !== undefined);
  useEffect(() => {
    document.title = `Your session has ended · ${hosted.appName}`;
  }, [hosted.appName]);
  return (
    <Stack gap="md">
      <Title order={1} size="h2">
        Your session has ended; return to {back ? <Anchor href={back}>{hosted.appName}</Anchor> : hosted.appName}
      </Title>
      <Text>
        Pages opened from {hosted.appName} work for a short time only. Open this page again from {hosted.appName} to
        carry on.
      </Text>
    </Stack>
  );
}
