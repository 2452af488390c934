// Debian's chromium driven by playwright-core: nothing downloads a browser. CHROMIUM_PATH overrides where it is.
import { execFileSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { projectRoot } from '../../../src/paths.js';

export type Viewport = 'phone' | 'desktop';

const VIEWPORTS: Record<Viewport, { width: number; height: number }> = {
  // The narrowest phones M-Pesa payers carry.
  phone: { width: 360, height: 740 },
  desktop: { width: 1280, height: 860 },
};

export const SCREENSHOTS = join(projectRoot, 'test-results', 'screenshots');

function chromiumPath(): string {
  const named = process.env.CHROMIUM_PATH ?? 'chromium';
  if (named.includes('/')) return named;
  try {
    return execFileSync('sh', ['-c', `command -v ${named}`], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(`no ${named} on PATH: install Debian's package (apt-get install -y chromium) or set CHROMIUM_PATH`);
  }
}

export function launchChromium(): Promise<Browser> {
  // --no-sandbox: CI runs as root in a container, where Chromium's own sandbox cannot start.
  return chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

/** A page as a subscriber in Nairobi sees it; what went wrong in it (CSP refusals, uncaught errors) is collected. */
export interface WatchedPage {
  page: Page;
  viewport: Viewport;
  problems: string[];
}

export async function openPage(browser: Browser, viewport: Viewport): Promise<WatchedPage> {
  const context = await browser.newContext({
    viewport: VIEWPORTS[viewport],
    locale: 'en-KE',
    timezoneId: 'Africa/Nairobi',
    isMobile: viewport === 'phone',
    hasTouch: viewport === 'phone',
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    if (message.text().includes('Content Security Policy')) problems.push(`CSP: ${message.text()}`);
  });
  return { page, viewport, problems };
}

export async function screenshot(watched: WatchedPage, name: string): Promise<string> {
  const path = join(SCREENSHOTS, `${name}-${watched.viewport}.png`);
  await mkdir(dirname(path), { recursive: true });
  await watched.page.screenshot({ path, fullPage: true });
  return path;
}
