// A signed-in customer changes their password: the current one is checked, the new one meets the policy, every
// session ends (its refresh tokens stop working) and the answer is a new session for the device that asked.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Orm } from '../../../src/db/orm.js';
import { User } from '../../../src/entities/index.js';
import { startApi, type RunningApi } from '../../support/api.js';
import { adminHeaders, apiClientHeaders } from '../../support/callers.js';
import { testOrm } from '../../support/db.js';

const LOGIN = `mutation ($i: LoginInput!) { login(input: $i) { accessToken refreshToken } }`;
const REFRESH = `mutation ($t: String!) { refreshToken(refreshToken: $t) { refreshToken } }`;
const CHANGE = `mutation ($i: ChangePasswordInput!) {
  changePassword(input: $i) { accessToken refreshToken refreshTokenExpiresAt user { email } }
}`;

interface Tokens {
  accessToken: string;
  refreshToken: string;
}

describe('changePassword', () => {
  let orm: Orm;
  let api: RunningApi;
  const email = `changer-${randomUUID()}@example.test`;
  const password = 'baobab-shade-at-noon-7';
  const newPassword = 'jacaranda-in-bloom-31';

  beforeAll(async () => {
    orm = await testOrm();
    api = await startApi(orm);
    await api.graphql('mutation ($i: RegisterInput!) { register(input: $i) { id } }', {
      i: { email, password, name: 'Wairimu Changer' },
    });
  });
  afterAll(async () => {
    await api?.stop();
    await orm?.close();
  });

  const login = async (secret: string) =>
    (await api.graphql<{ login: Tokens }>(LOGIN, { i: { email, password: secret } })).data?.login;
  const bearer = (tokens: Tokens) => ({ authorization: `Bearer ${tokens.accessToken}` });
  const change = (tokens: Tokens | Record<string, string>, input: Record<string, string>) =>
    api.graphql<{ changePassword: Tokens & { user: { email: string } } }>(
      CHANGE,
      { i: input },
      'accessToken' in tokens ? bearer(tokens as Tokens) : tokens,
    );

  it('refuses a wrong current password and a new one the policy refuses, naming the field and the rule', async () => {
    const session = (await login(password))!;
    const cases: [Record<string, string>, Record<string, string>][] = [
      [
        { currentPassword: 'not-my-password', newPassword },
        { 'input.currentPassword': 'is not your current password' },
      ],
      [{ currentPassword: password, newPassword: 'short' }, { 'input.newPassword': 'must be at least 10 characters' }],
      [
        { currentPassword: password, newPassword: password },
        { 'input.newPassword': 'must differ from your current password' },
      ],
      [
        { currentPassword: password, newPassword: `${email.split('@')[0]}-x` },
        { 'input.newPassword': 'must not contain your email address' },
      ],
    ];
    for (const [input, fields] of cases) {
      expect((await change(session, input)).errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', fields });
    }
    expect(await login(password)).toBeDefined();
  });

  it('changes it (argon2id), signs every session out and answers with a new session', async () => {
    const [here, elsewhere] = [(await login(password))!, (await login(password))!];
    const changed = await change(here, { currentPassword: password, newPassword });
    expect(changed.errors).toBeUndefined();
    expect(changed.data!.changePassword.user.email).toBe(email);
    const stored = await orm.em.fork().findOneOrFail(User, { email });
    expect(stored.passwordHash).toMatch(/^\$argon2id\$v=19\$/);

    for (const old of [here, elsewhere]) {
      const refused = await api.graphql(REFRESH, { t: old.refreshToken });
      expect(refused.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
    const renewed = await api.graphql(REFRESH, { t: changed.data!.changePassword.refreshToken });
    expect(renewed.errors).toBeUndefined();
    expect(await login(password)).toBeUndefined();
    expect(await login(newPassword)).toBeDefined();
  });

  it('is for people only: apps are refused, anonymous callers asked to sign in', async () => {
    const admin = await adminHeaders(api, orm);
    const app = (await apiClientHeaders(api, admin, ['read:customers'])).headers;
    const input = { currentPassword: password, newPassword };
    expect((await change(app, input)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await change({}, input)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
