// What a subscriber does with their hands, as steps tests compose: sign up, confirm the email, log in, subscribe.
import { randomUUID } from 'node:crypto';
import { expect } from '@jest/globals';
import type { Page } from 'playwright-core';
import { checkPage } from './pageChecks.js';
import type { WatchedPage } from './chromium.js';
import { linkInEmail } from './mailbox.js';
import type { PortalStack } from './portalStack.js';

export const PASSWORD = 'mvua ya masika 2026';

export interface Person {
  name: string;
  email: string;
}

export function aPerson(name = 'Wanjiru Kamau'): Person {
  return { name, email: `${name.split(' ')[0]!.toLowerCase()}-${randomUUID().slice(0, 8)}@example.test` };
}

/**
 * A Safaricom number no other test pays from: Daraja (and the sandbox) refuses a second prompt for the same phone
 * and amount within minutes, and the sandbox's scripted failures live at 07000000xx.
 */
export function aPhone(): string {
  return `0711${String(Math.floor(Math.random() * 1_000_000)).padStart(6, '0')}`;
}

/** Waits for visible text; a failing page's own error message ends up in the assertion. */
export async function sees(page: Page, text: string | RegExp, timeout = 15_000): Promise<void> {
  await page.getByText(text).first().waitFor({ state: 'visible', timeout });
}

export async function seesHeading(page: Page, name: string | RegExp, timeout = 15_000): Promise<void> {
  await page.getByRole('heading', { name }).first().waitFor({ state: 'visible', timeout });
}

/** Sign up, follow the link in the email, log in; `check` runs the page checks (axe, CSP, screenshot) on the way. */
export async function signUpAndLogIn(
  watched: WatchedPage,
  stack: PortalStack,
  person: Person,
  check = false,
): Promise<void> {
  const { page } = watched;
  await page.goto(`${stack.url}/signup`);
  await seesHeading(page, /sign up|create/i);
  if (check) await checkPage(watched, 'signup');
  await page.getByLabel(/^Name/).fill(person.name);
  await page.getByLabel(/^Email/).fill(person.email);
  await page.getByLabel(/^Password/).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await sees(page, 'Check your email');

  const link = await linkInEmail(stack.mailbox, person.email, 'verify-email');
  // On PUBLIC_URL, the address the API was told it has.
  expect(link.startsWith(stack.api.url)).toBe(true);
  await page.goto(link);
  await seesHeading(page, 'Email confirmed');
  if (check) await checkPage(watched, 'email-confirmed');

  await logIn(watched, stack, person, check);
}

export async function logIn(watched: WatchedPage, stack: PortalStack, person: Person, check = false): Promise<void> {
  const { page } = watched;
  await page.goto(`${stack.url}/login`);
  await seesHeading(page, /log in/i);
  if (check) await checkPage(watched, 'login');
  await page.getByLabel(/^Email/).fill(person.email);
  await page.getByLabel(/^Password/).fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('button', { name: 'Log out' }).waitFor({ state: 'visible', timeout: 15_000 });
}

/** From the plans page: the plan's card, its Subscribe link, then the payment step with M-Pesa and `phone`. */
export async function subscribeWithMpesa(page: Page, stack: PortalStack, plan: string, phone: string): Promise<void> {
  await page.goto(`${stack.url}/plans`);
  await page
    .getByRole('article')
    .filter({ has: page.getByRole('heading', { name: plan, exact: true }) })
    .getByRole('link', { name: 'Subscribe' })
    .click();
  await page.getByRole('radio', { name: /M-Pesa/ }).check();
  await page.getByLabel('M-Pesa phone number').fill(phone);
  await page.getByRole('button', { name: 'Subscribe' }).click();
}
