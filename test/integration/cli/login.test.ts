// `billing login` / `logout` and the operators' commands, as the built binary against the real API: the session file
// is the owner's only, an expired access token is refreshed by itself, logout ends the session on the API too.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createAdminUser } from '../../../src/accounts/register.js';
import { EXIT } from '../../../src/cli/errors.js';
import type { Session } from '../../../src/cli/session.js';
import { apiForSuite } from '../../support/api.js';
import { ADMIN_PASSWORD } from '../../support/callers.js';
import { buildCli, runCli, type CliBuild } from '../../support/cliProcess.js';

const execFileAsync = promisify(execFile);

describe('billing login, logout and the operators commands', () => {
  const suite = apiForSuite();
  let cli: CliBuild;
  let home: string;

  beforeAll(async () => {
    [cli, home] = await Promise.all([buildCli(), mkdtemp(join(tmpdir(), 'cli-login-'))]);
  }, 120_000);

  afterAll(async () => {
    await cli?.remove();
    await rm(home, { recursive: true, force: true });
  });

  it('signs in once, keeps the session 0600, refreshes it by itself and signs out', async () => {
    const email = `ops-${randomUUID()}@example.test`;
    await createAdminUser(suite.orm.em.fork(), email, ADMIN_PASSWORD);
    const env = { XDG_CONFIG_HOME: home };
    const sessionFile = join(home, 'billing', 'session.json');

    const wrong = await runCli(cli, ['login', '--api-url', suite.api.url, '--email', email], env, 'nope\n');
    expect(wrong.code).toBe(EXIT.AUTH);
    expect(wrong.stderr.trim().split('\n')).toHaveLength(1);

    const login = await runCli(
      cli,
      ['login', '--api-url', suite.api.url, '--email', email],
      env,
      `${ADMIN_PASSWORD}\n`,
    );
    expect(login).toMatchObject({ code: 0, stderr: `signed in to ${suite.api.url} as ${email}\n` });
    expect((await stat(sessionFile)).mode & 0o777).toBe(0o600);
    expect((await stat(join(home, 'billing'))).mode & 0o777).toBe(0o700);

    for (const args of [
      ['ops', 'past-due'],
      ['ops', 'stuck-payments'],
      ['ops', 'notices'],
      ['ops', 'deliveries'],
    ]) {
      const result = await runCli(cli, ['--json', ...args], env);
      expect(result.code).toBe(0);
      // Other suites share the database: a list may run past one page, which the CLI says on stderr.
      expect(result.stderr).toMatch(/^(\d+ of \d+ shown; next page: --after \S+\n)?$/);
      expect(Array.isArray(JSON.parse(result.stdout))).toBe(true);
    }

    // An access token past its time: the next command refreshes it (a new single-use refresh token is saved).
    const before = JSON.parse(await readFile(sessionFile, 'utf8')) as Session;
    await writeFile(sessionFile, JSON.stringify({ ...before, accessTokenExpiresAt: new Date(0).toISOString() }));
    const refreshed = await runCli(cli, ['ops', 'past-due'], env);
    expect(refreshed.code).toBe(0);
    const after = JSON.parse(await readFile(sessionFile, 'utf8')) as Session;
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(Date.parse(after.accessTokenExpiresAt)).toBeGreaterThan(Date.now());

    const logout = await runCli(cli, ['logout'], env);
    expect(logout.code).toBe(0);
    await expect(stat(sessionFile)).rejects.toThrow('ENOENT');
    // The API ended it too: the old refresh token no longer works.
    const reuse = await suite.api.graphql('mutation ($t: String!) { refreshToken(refreshToken: $t) { accessToken } }', {
      t: after.refreshToken,
    });
    expect(reuse.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const signedOut = await runCli(cli, ['customers', 'list'], env);
    expect(signedOut.code).toBe(EXIT.AUTH);
    expect(signedOut.stderr).toBe(
      'billing: no credentials: pass --api-key, set BILLING_API_KEY or run billing login\n',
    );
  });

  it('refuses a wrong key in one line (exit 3)', async () => {
    const result = await runCli(cli, ['ops', 'past-due', '--api-url', suite.api.url, '--api-key', 'bk_not_a_key']);
    expect(result.code).toBe(EXIT.AUTH);
    expect(result.stderr).toMatch(/^billing: .*\(UNAUTHENTICATED\)\n$/);
  });

  it('prints completion scripts that complete commands and options from the command tree', async () => {
    const script = await runCli(cli, ['completion', 'bash']);
    expect(script.code).toBe(0);
    const file = join(home, 'completion.bash');
    await writeFile(file, script.stdout);
    const complete = async (...words: string[]) => {
      const probe = `source ${file}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _billing; echo "\${COMPREPLY[*]}"`;
      const { stdout } = await execFileAsync('bash', ['-c', probe]);
      return stdout.trim().split(' ');
    };
    expect(await complete('billing', 'cu')).toEqual(['customers']);
    expect(await complete('billing', 'customers', 'list', '--st')).toEqual(['--status']);
    expect(await complete('billing', '--json', 'import', 'customers', '--co')).toEqual(['--concurrency']);
    const zsh = await runCli(cli, ['completion', 'zsh']);
    expect(zsh.stdout.startsWith('autoload -U +X bashcompinit && bashcompinit\n')).toBe(true);
    const fish = await runCli(cli, ['completion', 'fish']);
    expect(fish).toMatchObject({ code: EXIT.USAGE, stderr: 'billing: shell must be bash or zsh, got fish\n' });
  });
});
