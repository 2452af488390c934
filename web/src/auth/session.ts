// The signed-in session. The access token lives in memory only; the refresh token in sessionStorage, so a reload
// keeps the session and closing the tab ends it. The access token is renewed a minute before it expires (and when
// the tab comes back to the foreground late), one refresh at a time: refresh tokens rotate, and presenting a used
// one signs out the whole login.
//
// A hosted page (docs/hosted-pages.md) runs on a different kind of session: the short-lived access token that
// redeemHostedSession answered, for one customer, with no refresh token. It is kept in sessionStorage with what the
// page is for (so a reload, or coming back from PayPal, keeps it in this tab only), and it simply ends at
// accessTokenExpiresAt: the status becomes 'ended' and the page says to return to the app.
import { useSyncExternalStore } from 'react';
import { anonymousClient } from '../api/anonymousClient';
import type { HostedSessionFieldsFragment, SessionFieldsFragment } from '../graphql/graphql';
import { LogoutMutation, RefreshMutation } from './operations';

const STORAGE_KEY = 'billing.refreshToken';
const HOSTED_KEY = 'billing.hostedSession';
const RENEW_BEFORE_MS = 60_000;

/** What a hosted page is for, from redeemHostedSession's answer (everything but the token). */
export type HostedContext = Omit<HostedSessionFieldsFragment, 'accessToken' | 'accessTokenExpiresAt'> & {
  /** CHECKOUT: the subscription made on this page, once subscribed (a reload follows its payment). */
  subscriptionId?: string;
};

export interface Session {
  /** 'ended': a hosted session whose access token expired (there is no refresh: back to the app). */
  status: 'restoring' | 'signedOut' | 'signedIn' | 'ended';
  userId: string | null;
  role: string | null;
  /** Set for a hosted page's session (and kept once it ended, to name the way back). */
  hosted: HostedContext | null;
}

interface StoredHosted {
  accessToken: string;
  accessTokenExpiresAt: string;
  context: HostedContext;
}

let accessToken: string | null = null;
let expiresAt = 0;
let timer: ReturnType<typeof setTimeout> | undefined;
let session: Session = initialSession();
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

function readHosted(): StoredHosted | null {
  try {
    const text = sessionStorage.getItem(HOSTED_KEY);
    return text ? (JSON.parse(text) as StoredHosted) : null;
  } catch {
    return null;
  }
}

function writeHosted(value: StoredHosted | null): void {
  try {
    if (value) sessionStorage.setItem(HOSTED_KEY, JSON.stringify(value));
    else sessionStorage.removeItem(HOSTED_KEY);
  } catch {
    // Storage refused: the hosted session lasts as long as this page.
  }
}

function initialSession(): Session {
  const hosted = readHosted();
  if (hosted) {
    const until = Date.parse(hosted.accessTokenExpiresAt);
    if (Date.now() < until) {
      accessToken = hosted.accessToken;
      expiresAt = until;
      return { status: 'signedIn', userId: null, role: 'HOSTED', hosted: hosted.context };
    }
    return { status: 'ended', userId: null, role: null, hosted: hosted.context };
  }
  return { status: readRefreshToken() ? 'restoring' : 'signedOut', userId: null, role: null, hosted: null };
}

function publish(next: Session): void {
  session = next;
  for (const listener of listeners) listener();
}

function schedule(): void {
  clearTimeout(timer);
  if (session.hosted) {
    // No refresh: the hosted session ends with its access token.
    timer = setTimeout(endHostedSession, Math.max(0, expiresAt - Date.now()));
    return;
  }
  const wait = Math.max(5_000, expiresAt - Date.now() - RENEW_BEFORE_MS);
  timer = setTimeout(() => void refreshSession(), wait);
}

/** Starts (or renews) the session from a login or refresh answer. */
export function startSession(payload: SessionFieldsFragment): void {
  accessToken = payload.accessToken;
  expiresAt = Date.parse(payload.accessTokenExpiresAt);
  writeRefreshToken(payload.refreshToken);
  writeHosted(null);
  if (session.status !== 'signedIn' || session.userId !== payload.user.id || session.hosted) {
    publish({ status: 'signedIn', userId: payload.user.id, role: payload.user.role, hosted: null });
  }
  schedule();
}

/**
 * Starts a hosted page's session from redeemHostedSession's answer: this tab only, no refresh token. A person
 * signed in in this tab is signed out (their refresh token revoked): the tab now acts for the app's customer.
 */
export function startHostedSession(payload: HostedSessionFieldsFragment): void {
  const { accessToken: token, accessTokenExpiresAt, ...context } = payload;
  const previousRefreshToken = readRefreshToken();
  writeRefreshToken(null);
  if (previousRefreshToken)
    void anonymousClient().mutation(LogoutMutation, { refreshToken: previousRefreshToken }).toPromise();
  accessToken = token;
  expiresAt = Date.parse(accessTokenExpiresAt);
  writeHosted({ accessToken: token, accessTokenExpiresAt, context });
  publish({ status: 'signedIn', userId: null, role: 'HOSTED', hosted: context });
  schedule();
}

/** Remembers something about the hosted page (the subscription a checkout made) for reloads in this tab. */
export function updateHostedContext(change: Partial<HostedContext>): void {
  if (!session.hosted) return;
  const context = { ...session.hosted, ...change };
  const stored = readHosted();
  // Without storage (refused) it is remembered for this page only.
  if (stored) writeHosted({ ...stored, context });
  publish({ ...session, hosted: context });
}

/** The hosted session's access token expired: the page says to go back to the app. */
function endHostedSession(): void {
  clearTimeout(timer);
  accessToken = null;
  if (session.hosted && session.status !== 'ended') publish({ ...session, status: 'ended', userId: null, role: null });
}

function clearSession(): void {
  clearTimeout(timer);
  accessToken = null;
  expiresAt = 0;
  writeRefreshToken(null);
  writeHosted(null);
  if (session.status !== 'signedOut') publish({ status: 'signedOut', userId: null, role: null, hosted: null });
}

/** Trades the stored refresh token for a new session; false (and signed out) when it is refused. */
export function refreshSession(): Promise<boolean> {
  // A hosted session has nothing to refresh with: it ends when its token does.
  if (session.hosted) {
    if (Date.now() >= expiresAt) endHostedSession();
    return Promise.resolve(false);
  }
  refreshing ??= (async () => {
    const refreshToken = readRefreshToken();
    if (!refreshToken) {
      clearSession();
      return false;
    }
    const result = await anonymousClient().mutation(RefreshMutation, { refreshToken }).toPromise();
    // A hosted page's session started meanwhile (startHostedSession): it replaces this one.
    if (session.hosted) return false;
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
  if (session.hosted && session.status === 'signedIn') schedule();
  // Timers sleep in background tabs: renew at once when the tab returns close to expiry.
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && session.status === 'signedIn') {
      if (session.hosted) {
        if (Date.now() >= expiresAt) endHostedSession();
      } else if (expiresAt - Date.now() < RENEW_BEFORE_MS) void refreshSession();
    }
  });
}
