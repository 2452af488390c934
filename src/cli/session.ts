// `billing login` remembers a session in a file only its owner can read: the refresh token (single use, rotated
// on each refresh) and the current access token with its expiry. Commands use the access token until it is about
// to expire, then refresh it once and save the new pair.
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { GraphQLClient } from './client.js';

export interface Session {
  apiUrl: string;
  email: string;
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
}

export const AUTH_FIELDS = 'accessToken accessTokenExpiresAt refreshToken';
/** Refresh this long before the access token expires, so a command never starts with one about to lapse. */
const EARLY_MS = 30_000;

export function sessionPath(): string {
  const base = process.env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'billing', 'session.json');
}

export async function saveSession(session: Session): Promise<void> {
  const path = sessionPath();
  await mkdir(join(path, '..'), { recursive: true, mode: 0o700 });
  await writeFile(path, `${JSON.stringify(session, null, 2)}\n`, { mode: 0o600 });
  // writeFile's mode applies only when it creates the file: an older file gets it too.
  await chmod(path, 0o600);
}

export async function loadSession(): Promise<Session | null> {
  try {
    return JSON.parse(await readFile(sessionPath(), 'utf8')) as Session;
  } catch {
    return null;
  }
}

export async function forgetSession(): Promise<void> {
  await rm(sessionPath(), { force: true });
}

/** The session with a live access token, refreshed (and saved) when it is about to expire. */
export async function freshSession(session: Session): Promise<Session> {
  if (Date.parse(session.accessTokenExpiresAt) - EARLY_MS > Date.now()) return session;
  const client = new GraphQLClient({ apiUrl: session.apiUrl });
  const { refreshToken } = await client.request<{ refreshToken: Omit<Session, 'apiUrl' | 'email'> }>(
    `mutation ($token: String!) { refreshToken(refreshToken: $token) { ${AUTH_FIELDS} } }`,
    { token: session.refreshToken },
  );
  const fresh = { ...session, ...refreshToken };
  await saveSession(fresh);
  return fresh;
}
