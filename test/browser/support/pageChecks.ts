// What every page must pass before a test moves on: axe-core finds nothing serious or critical, the content
// security policy refused nothing and no script threw; and a screenshot is kept for people to look at.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { expect } from '@jest/globals';
import { projectRoot } from '../../../src/paths.js';
import { screenshot, type WatchedPage } from './chromium.js';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const RESULTS = join(projectRoot, 'test-results');

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

export async function seriousAccessibilityViolations(watched: WatchedPage): Promise<Violation[]> {
  const { page } = watched;
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: unknown[] }> } }).axe;
    return (await axe.run()).violations as {
      id: string;
      impact: string | null;
      help: string;
      nodes: { target: string[]; failureSummary?: string }[];
    }[];
  });
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(({ id, impact, help, nodes }) => ({
      id,
      impact,
      help,
      nodes: nodes.map((node) => `${node.target.join(' ')}: ${node.failureSummary ?? ''}`),
    }));
}

/** Asserts the page is clean, screenshots it, and records the check (test-results/page-checks.jsonl). */
export async function checkPage(watched: WatchedPage, name: string): Promise<void> {
  const violations = await seriousAccessibilityViolations(watched);
  await screenshot(watched, name);
  await record('page-checks.jsonl', { page: name, viewport: watched.viewport, violations: violations.length });
  expect({ page: name, violations, problems: watched.problems }).toEqual({ page: name, violations: [], problems: [] });
}

/** Measurements the closing notes and bench/results quote; appended, one JSON object per line. */
export async function record(file: string, entry: Record<string, unknown>): Promise<void> {
  await mkdir(RESULTS, { recursive: true });
  await appendFile(join(RESULTS, file), `${JSON.stringify({ at: new Date().toISOString(), ...entry })}\n`);
}

/**
 * The JavaScript a page loaded, gzipped as it would travel: each script the browser fetched from /assets, read
 * from the build and compressed here (the server sends it as built).
 */
export async function javaScriptLoaded(watched: WatchedPage): Promise<{ files: string[]; gzipBytes: number }> {
  const urls = await watched.page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .map((entry) => entry.name)
      .filter((name) => new URL(name).pathname.endsWith('.js')),
  );
  const files = urls.map((url) => new URL(url).pathname);
  const sizes = files.map(
    (file) => gzipSync(readFileSync(join(projectRoot, 'dist', 'web', file.replace(/^\//, '')))).length,
  );
  return { files, gzipBytes: sizes.reduce((sum, size) => sum + size, 0) };
}
