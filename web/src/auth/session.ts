// The signed-in session. The access token lives in memory only; the refresh token in sessionStorage, so a reload
// keeps the session and closing the tab ends it. The access token is renewed a minute before it expires (and when
// the tab comes back to the foreground late), one refresh at a time: refresh tokens rotate, and presenting a used
// one signs out the whole login.
import { useSyncExternalStore } from 'react';
import { anonymousClient } from '../api/anonymousClient';
import type { SessionFieldsFragment } from '../graphql/graphql';
import { LogoutMutation, RefreshMutation } from './operations';

const STORAGE_KEY = 'billing.refreshToken';
const RENEW_BEFORE_MS = 60_000;

export interface Session {
  status: 'restoring' | 'signedOut' | 'signedIn';
  userId: string | null;
  role: string | null;
}

let session: Session = { status: readRefreshToken() ? 'restoring' : 'signedOut', userId: null, role: null };
let accessToken: string | null = null;
let expiresAt = 0;
let timer: ReturnType<typeof setTimeout> | undefined;
let refreshing: Promise<boolean> | null = null;
const listeners = new Set<() => void>();

function readRefreshToken(): string | null {
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

function writeRefreshToken(token: string | null): void {
  try {
    if (token) sessionStorage.setItem(STORAGE_KEY, token);
    else sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // Storage refused (private mode): the session then lasts as long as this page.
  }
}

function publish(next: Session): void {
  session = next;
  for (const listener of listeners) listener();
}

function schedule(): void {
  clearTimeout(timer);
  const wait = Math.max(5_000, expiresAt - Date.now() - RENEW_BEFORE_MS);
  timer = setTimeout(() => void refreshSession(), wait);
}

/** Starts (or renews) the session from a login or refresh answer. */
export function startSession(payload: SessionFieldsFragment): void {
  accessToken = payload.accessToken;
  expiresAt = Date.parse(payload.accessTokenExpiresAt);
  writeRefreshToken(payload.refreshToken);
  schedule();
  if (session.status !== 'signedIn' || session.userId !== payload.user.id) {
    publish({ status: 'signedIn', userId: payload.user.id, role: payload.user.role });
  }
}

function clearSession(): void {
  clearTimeout(timer);
  accessToken = null;
  expiresAt = 0;
  writeRefreshToken(null);
  if (session.status !== 'signedOut') publish({ status: 'signedOut', userId: null, role: null });
}

/** Trades the stored refresh token for a new session; false (and signed out) when it is refused. */
export function refreshSession(): Promise<boolean> {
  refreshing ??= (async () => {
    const refreshToken = readRefreshToken();
    if (!refreshToken) {
      clearSession();
      return false;
    }
    const result = await anonymousClient().mutation(RefreshMutation, { refreshToken }).toPromise();
    if (result.data) {
      startSession(result.data.refreshToken);
      return true;
    }
    // A network failure keeps the session to try again; a refused token ends it.
    if (result.error?.networkError && session.status === 'signedIn') {
      timer = setTimeout(() => void refreshSession(), 10_000);
      return false;
    }
    clearSession();
    return false;
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

export async function endSession(): Promise<void> {
  const refreshToken = readRefreshToken();
  clearSession();
  if (refreshToken) await anonymousClient().mutation(LogoutMutation, { refreshToken }).toPromise();
}

export function currentAccessToken(): string | null {
  return accessToken && Date.now() < expiresAt ? accessToken : null;
}

export function subscribeToSession(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function getSession(): Session {
  return session;
}

export function useSession(): Session {
  return useSyncExternalStore(subscribeToSession, getSession);
}

/** On start: a stored refresh token becomes a session (or is dropped). */
export function restoreSession(): void {
  if (session.status === 'restoring') void refreshSession();
  // Timers sleep in background tabs: renew at once when the tab returns close to expiry.
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && session.status === 'signedIn') {
      if (expiresAt - Date.now() < RENEW_BEFORE_MS) void refreshSession();
    }
  });
}
