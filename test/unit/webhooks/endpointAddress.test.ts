// The request-forgery guard: which addresses count as public, which URLs production refuses, and the delivery's own
// DNS lookup refusing a name that resolves to a private address (a rebinding name passes the first check).
import { describe, expect, it } from '@jest/globals';
import { isPublicAddress, refuseEndpointUrl } from '../../../src/webhooks/endpointAddress.js';
import { postEvent } from '../../../src/webhooks/delivery/postEvent.js';

const production = { allowPrivate: false };
const development = { allowPrivate: true };

describe('isPublicAddress', () => {
  it.each([
    '127.0.0.1',
    '10.2.3.4',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    'fe80::1',
    'fd12:3456::1',
    '::ffff:10.0.0.1',
    '::ffff:127.0.0.1',
    'not an address',
  ])('refuses %s', (address) => expect(isPublicAddress(address)).toBe(false));

  it.each(['41.90.64.1', '8.8.8.8', '172.32.0.1', '2001:4860:4860::8888', '::ffff:41.90.64.1'])(
    'accepts %s',
    (address) => expect(isPublicAddress(address)).toBe(true),
  );
});

describe('refuseEndpointUrl', () => {
  it.each([
    ['http://41.90.64.1/hooks', 'must use https'],
    ['https://127.0.0.1/hooks', 'must not resolve to a private, loopback or link-local address'],
    ['https://[::1]:8443/hooks', 'must not resolve to a private, loopback or link-local address'],
    ['https://169.254.169.254/latest/meta-data', 'must not resolve to a private, loopback or link-local address'],
    ['https://localhost/hooks', 'must not resolve to a private, loopback or link-local address'],
    ['https://user:pass@41.90.64.1/hooks', 'must not carry credentials'],
    ['ftp://41.90.64.1/hooks', 'must be an http(s) URL'],
    ['hooks', 'must be an absolute URL'],
  ])('refuses %s in production', async (url, rule) => {
    expect(await refuseEndpointUrl(url, production)).toBe(rule);
  });

  it('accepts an https URL on a public address in production, and local receivers in development', async () => {
    expect(await refuseEndpointUrl('https://41.90.64.1/hooks', production)).toBeNull();
    expect(await refuseEndpointUrl('http://127.0.0.1:4000/hooks', development)).toBeNull();
    expect(await refuseEndpointUrl('http://localhost:4000/hooks', development)).toBeNull();
  });
});

it('refuses, at delivery time, a host that resolves to a private address when private addresses are refused', async () => {
  const outcome = await postEvent(
    { url: 'https://localhost:9/hooks', eventId: 'e', eventType: 'customer.created', body: '{}', secrets: ['s'] },
    { timeoutMs: 2_000, policy: production },
  );
  expect(outcome).toMatchObject({ ok: false, statusCode: null, error: 'localhost resolves to no public address' });
});
