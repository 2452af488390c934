// `billing import customers` as a real child process against the real API over HTTP and Postgres: bad rows reported
// with their line and reason, good rows created once, an interrupted (SIGKILLed) import resumed without duplicates.
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Orm } from '../../../src/db/orm.js';
import { EXIT } from '../../../src/cli/errors.js';
import { startApi, type RunningApi } from '../../support/api.js';
import { adminHeaders, ALL_CLIENT_SCOPES, apiClientHeaders, type Headers } from '../../support/callers.js';
import { buildCli, runCli, spawnCli, type CliBuild } from '../../support/cliProcess.js';
import { testOrm } from '../../support/db.js';
import { eventually } from '../../support/eventually.js';

describe('billing import customers', () => {
  let orm: Orm;
  let api: RunningApi;
  let cli: CliBuild;
  let dir: string;

  beforeAll(async () => {
    [orm, cli, dir] = await Promise.all([testOrm(), buildCli(), mkdtemp(join(tmpdir(), 'cli-import-'))]);
    api = await startApi(orm);
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
    await orm?.close();
    await cli?.remove();
    await rm(dir, { recursive: true, force: true });
  });

  /** A fresh app (its own customers only) and the CLI's environment for its key. */
  async function anApp(): Promise<{ env: Record<string, string>; headers: Headers }> {
    const admin = await adminHeaders(api, orm);
    const app = await apiClientHeaders(api, admin, ALL_CLIENT_SCOPES);
    return { env: { BILLING_API_URL: api.url, BILLING_API_KEY: app.headers['x-api-key']! }, headers: app.headers };
  }

  async function customerCount(headers: Headers): Promise<number> {
    const result = await api.graphql<{ customers: { totalCount: number } }>(
      '{ customers(first: 1) { totalCount } }',
      {},
      headers,
    );
    return result.data!.customers.totalCount;
  }

  it('reports each bad row with its line and reason and imports the good rows once', async () => {
    const { env, headers } = await anApp();
    const tag = randomUUID().slice(0, 8);
    const taken = `taken-${tag}@example.test`;
    const existing = await runCli(cli, ['customers', 'create', '--email', taken, '--name', 'Already Here'], env);
    expect(existing.code).toBe(0);
    const file = join(dir, `customers-${tag}.csv`);
    await writeFile(
      file,
      [
        'email,name,phone,external_id',
        `amina-${tag}@example.test,Amina Odhiambo,0712345678,A-1`,
        `not-an-email,Bad Email,,A-2`,
        `brian-${tag}@example.test,Brian Otieno,12ab,A-3`,
        `AMINA-${tag}@example.test,Amina Again,,A-4`,
        `${taken},Someone Else,,A-5`,
        `chebet-${tag}@example.test,"Chebet, Faith",+254112345678,`,
        `duma-${tag}@example.test,Duma,,A-1`,
        `esther-${tag}@example.test,Esther Wairimu,,A-8`,
      ].join('\n'),
    );

    const first = await runCli(cli, ['import', 'customers', file], env);
    expect(first.code).toBe(EXIT.ROWS_REJECTED);
    expect(first.stdout.split('\n').filter((line) => line.startsWith('line '))).toEqual([
      'line 3: email must be an email address, got "not-an-email"',
      'line 4: phone must be in E.164 form such as +254712345678 (or 0712345678 in Kenya), got "12ab"',
      `line 5: duplicate email amina-${tag}@example.test: already on line 2`,
      `line 6: a customer with email ${taken} already exists (CONFLICT)`,
      'line 8: duplicate external_id A-1: already on line 2',
    ]);
    expect(first.stdout).toMatch(/: 3 imported, 0 already there, 5 rejected \(see .*\.rejected\.csv\)/);
    const report = (await readFile(`${file}.rejected.csv`, 'utf8')).trim().split('\n');
    expect(report[0]).toBe('line,reason,email,name,phone,external_id');
    expect(report.slice(1).map((line) => line.split(',')[0])).toEqual(['3', '4', '5', '6', '8']);
    expect(await customerCount(headers)).toBe(4);
    const chebet = await runCli(cli, ['--json', 'customers', 'list', '--email', `chebet-${tag}@example.test`], env);
    expect(JSON.parse(chebet.stdout)).toEqual([
      expect.objectContaining({
        name: 'Chebet, Faith',
        phone: '+254112345678',
        externalId: `chebet-${tag}@example.test`,
      }),
    ]);

    // Again with its state: the confirmed rows are skipped without a request.
    const again = await runCli(cli, ['import', 'customers', file], env);
    expect(again.stdout).toMatch(/: 0 imported, 3 already there, 5 rejected/);
    // Again without it: the API's uniqueness of externalId and email finds every row already there.
    await rm(`${file}.import-state`);
    const fresh = await runCli(cli, ['--json', 'import', 'customers', file], env);
    expect(JSON.parse(fresh.stdout)).toMatchObject({ imported: 0, alreadyThere: 3, rejected: 5 });
    expect(await customerCount(headers)).toBe(4);
  });

  it('refuses a file with wrong columns before sending anything, naming the expected header', async () => {
    const { env, headers } = await anApp();
    const file = join(dir, 'wrong-columns.csv');
    await writeFile(file, 'mail,name,plan\nx@example.test,X,basic\n');
    const result = await runCli(cli, ['import', 'customers', file], env);
    expect(result.code).toBe(EXIT.USAGE);
    expect(result.stderr).toBe(
      `billing: ${file}: wrong columns (missing email; unknown mail, plan); ` +
        'expected a header email,name,[phone],[external_id],[locale]\n',
    );
    expect(await customerCount(headers)).toBe(0);
  });

  it('resumes an import killed half way without creating anything twice', async () => {
    const { env, headers } = await anApp();
    const rows = 1500;
    const tag = randomUUID().slice(0, 8);
    const file = join(dir, `killed-${tag}.csv`);
    const lines = Array.from({ length: rows }, (_, i) => `c${i}-${tag}@example.test,Customer ${i},,${tag}-${i}`);
    await writeFile(file, ['email,name,phone,external_id', ...lines].join('\n'));

    const child = spawnCli(cli, ['import', 'customers', file, '--concurrency', '2'], env);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await eventually('the first confirmed batch', async () => {
      const size = (await stat(`${file}.import-state`).catch(() => ({ size: 0 }))).size;
      return size > 0 ? size : undefined;
    });
    child.kill('SIGKILL');
    await exited;
    const before = await customerCount(headers);
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThan(rows);

    const resumed = await runCli(cli, ['--json', 'import', 'customers', file], env);
    expect(resumed.code).toBe(0);
    const summary = JSON.parse(resumed.stdout) as { imported: number; alreadyThere: number; rejected: number };
    expect(summary.rejected).toBe(0);
    expect(summary.imported + summary.alreadyThere).toBe(rows);
    // Batches in flight at the kill may still have been created after `before` was counted: found already there.
    expect(summary.alreadyThere).toBeGreaterThanOrEqual(before);
    expect(summary.imported).toBeGreaterThan(0);
    expect(await customerCount(headers)).toBe(rows);
  });
});
