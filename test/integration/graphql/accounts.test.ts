// Users and sessions through the GraphQL endpoint against the real Postgres.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { decodeJwt } from 'jose';
import type { Orm } from '../../../src/db/orm.js';
import { OutboxMessage, User } from '../../../src/entities/index.js';
import { startApi, type RunningApi } from '../../support/api.js';
import { testOrm } from '../../support/db.js';

const REGISTER = `mutation ($input: RegisterInput!) { register(input: $input) { id email role emailVerifiedAt customer { id email name } } }`;
const LOGIN = `mutation ($input: LoginInput!) { login(input: $input) { accessToken accessTokenExpiresAt refreshToken user { id role } } }`;
const REFRESH = `mutation ($token: String!) { refreshToken(refreshToken: $token) { accessToken refreshToken } }`;
const ME = `{ me { id email role customer { id } } }`;

describe('accounts and sessions', () => {
  let orm: Orm;
  let api: RunningApi;

  beforeAll(async () => {
    orm = await testOrm();
    api = await startApi(orm, { env: { LOGIN_ATTEMPTS_PER_MINUTE: '5' } });
  });
  afterAll(async () => {
    await api?.stop();
    await orm?.close();
  });

  const email = () => `person-${randomUUID()}@example.test`;
  const password = 'mango-tree-at-dusk-42';
  const tokenFor = async (recipient: string, kind: string) => {
    const message = await orm.em
      .fork()
      .findOneOrFail(OutboxMessage, { recipient, kind }, { orderBy: { createdAt: 'desc' } });
    return message.payload.token as string;
  };
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  it('registers a CUSTOMER with a customer profile and queues a verification email that verifies once', async () => {
    const address = email();
    const registered = await api.graphql<{
      register: { role: string; emailVerifiedAt: null; customer: { email: string; name: string } };
    }>(REGISTER, { input: { email: address.toUpperCase(), password, name: 'Achieng Otieno' } });
    expect(registered.errors).toBeUndefined();
    expect(registered.data!.register).toMatchObject({
      role: 'CUSTOMER',
      emailVerifiedAt: null,
      customer: { email: address, name: 'Achieng Otieno' },
    });
    const stored = await orm.em.fork().findOneOrFail(User, { email: address });
    expect(stored.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);

    const token = await tokenFor(address, 'EMAIL_VERIFICATION');
    const verified = await api.graphql<{ verifyEmail: { emailVerifiedAt: string } }>(
      'mutation ($t: String!) { verifyEmail(token: $t) { emailVerifiedAt } }',
      { t: token },
    );
    expect(verified.data!.verifyEmail.emailVerifiedAt).toBeTruthy();
    const again = await api.graphql('mutation ($t: String!) { verifyEmail(token: $t) { id } }', { t: token });
    expect(again.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
  });

  it('refuses bad registrations naming the field and the rule, and writes nothing', async () => {
    const address = email();
    const cases: [Record<string, string>, string, string][] = [
      [{ email: 'not-an-email', password, name: 'X' }, 'input.email', 'must be an email address'],
      [{ email: address, password: 'short', name: 'X' }, 'input.password', 'must be at least 10 characters'],
      [{ email: address, password: 'password123', name: 'X' }, 'input.password', 'is too common'],
      [
        { email: address, password: `${address.split('@')[0]}!`, name: 'X' },
        'input.password',
        'must not contain your email address',
      ],
    ];
    for (const [input, field, rule] of cases) {
      const result = await api.graphql(REGISTER, { input });
      expect(result.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: { [field]: rule } });
    }
    expect(await orm.em.fork().count(User, { email: address })).toBe(0);

    await api.graphql(REGISTER, { input: { email: address, password, name: 'First' } });
    const duplicate = await api.graphql(REGISTER, { input: { email: address, password, name: 'Second' } });
    expect(duplicate.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', field: 'input.email' });
  });

  it('logs in with a short-lived access token and rotates refresh tokens, revoking the family on reuse', async () => {
    const address = email();
    await api.graphql(REGISTER, { input: { email: address, password, name: 'Kamau' } });
    const wrong = await api.graphql(LOGIN, { input: { email: address, password: 'wrong-password-123' } });
    expect(wrong.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');

    const session = (
      await api.graphql<{ login: { accessToken: string; refreshToken: string; user: { id: string } } }>(LOGIN, {
        input: { email: address, password },
      })
    ).data!.login;
    const claims = decodeJwt(session.accessToken);
    expect(claims.sub).toBe(session.user.id);
    expect(claims.role).toBe('CUSTOMER');
    expect(claims.exp! - claims.iat!).toBeLessThanOrEqual(900);
    expect(claims.scopes).toContain('read:invoices');

    const me = await api.graphql<{ me: { email: string } }>(ME, {}, bearer(session.accessToken));
    expect(me.data!.me.email).toBe(address);
    expect((await api.graphql(ME)).errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    expect((await api.graphql(ME, {}, bearer(`${session.accessToken}x`))).errors![0]!.extensions!.code).toBe(
      'UNAUTHENTICATED',
    );

    const second = (
      await api.graphql<{ refreshToken: { refreshToken: string } }>(REFRESH, { token: session.refreshToken })
    ).data!.refreshToken;
    expect(second.refreshToken).not.toBe(session.refreshToken);
    const third = (
      await api.graphql<{ refreshToken: { refreshToken: string } }>(REFRESH, { token: second.refreshToken })
    ).data!.refreshToken;

    // Someone replays the first token: the whole family dies, including the newest one.
    const replay = await api.graphql(REFRESH, { token: session.refreshToken });
    expect(replay.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    expect(replay.errors![0]!.message).toMatch(/already used/);
    expect((await api.graphql(REFRESH, { token: third.refreshToken })).errors![0]!.extensions!.code).toBe(
      'UNAUTHENTICATED',
    );
  });

  it('logs out, resets a password by emailed token, and signs every session out', async () => {
    const address = email();
    await api.graphql(REGISTER, { input: { email: address, password, name: 'Njeri' } });
    const first = (
      await api.graphql<{ login: { refreshToken: string } }>(LOGIN, { input: { email: address, password } })
    ).data!.login;
    const loggedOut = await api.graphql<{ logout: boolean }>('mutation ($t: String!) { logout(refreshToken: $t) }', {
      t: first.refreshToken,
    });
    expect(loggedOut.data!.logout).toBe(true);
    expect((await api.graphql(REFRESH, { token: first.refreshToken })).errors![0]!.extensions!.code).toBe(
      'UNAUTHENTICATED',
    );

    const other = (
      await api.graphql<{ login: { refreshToken: string } }>(LOGIN, { input: { email: address, password } })
    ).data!.login;
    const unknown = await api.graphql<{ requestPasswordReset: boolean }>(
      'mutation { requestPasswordReset(email: "nobody@example.test") }',
    );
    expect(unknown.data!.requestPasswordReset).toBe(true);
    await api.graphql('mutation ($e: String!) { requestPasswordReset(email: $e) }', { e: address });
    const token = await tokenFor(address, 'PASSWORD_RESET');
    const weak = await api.graphql('mutation ($i: ResetPasswordInput!) { resetPassword(input: $i) { id } }', {
      i: { token, password: 'short' },
    });
    expect(weak.errors![0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: { 'input.password': 'must be at least 10 characters' },
    });

    const newPassword = 'baobab-shade-at-noon-7';
    const reset = await api.graphql('mutation ($i: ResetPasswordInput!) { resetPassword(input: $i) { id } }', {
      i: { token, password: newPassword },
    });
    expect(reset.errors).toBeUndefined();
    expect((await api.graphql(REFRESH, { token: other.refreshToken })).errors![0]!.extensions!.code).toBe(
      'UNAUTHENTICATED',
    );
    expect((await api.graphql(LOGIN, { input: { email: address, password } })).errors![0]!.extensions!.code).toBe(
      'UNAUTHENTICATED',
    );
    expect((await api.graphql(LOGIN, { input: { email: address, password: newPassword } })).errors).toBeUndefined();
  });

  it('limits login attempts per email', async () => {
    const address = email();
    const codes: unknown[] = [];
    for (let i = 0; i < 7; i++) {
      const result = await api.graphql(LOGIN, { input: { email: address, password: 'wrong-password-123' } });
      codes.push(result.errors![0]!.extensions!.code);
    }
    expect(codes.slice(0, 5)).toEqual(Array(5).fill('UNAUTHENTICATED'));
    expect(codes.slice(5)).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);
  });
});
