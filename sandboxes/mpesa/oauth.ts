// OAuth: issuing access tokens and checking the Bearer header.
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { ApiError, ALNUM, randomString, sameSecret, sendJson } from './protocol.js';
import type { MpesaSandboxState } from './state.js';

export function generateToken(state: MpesaSandboxState, req: IncomingMessage, url: URL, res: ServerResponse): void {
  if (url.searchParams.get('grant_type') !== 'client_credentials') {
    throw new ApiError(400, '400.008.02', 'Invalid grant type passed', '');
  }
  const header = req.headers.authorization ?? '';
  const match = /^Basic\s+(\S+)$/i.exec(header);
  const decoded = match ? Buffer.from(match[1] as string, 'base64').toString('utf8') : '';
  const colon = decoded.indexOf(':');
  const key = colon >= 0 ? decoded.slice(0, colon) : '';
  const secret = colon >= 0 ? decoded.slice(colon + 1) : '';
  const keyOk = sameSecret(key, state.options.consumerKey);
  const secretOk = sameSecret(secret, state.options.consumerSecret);
  if (colon < 0 || !keyOk || !secretOk) {
    throw new ApiError(400, '400.008.01', 'Invalid Authentication passed', '');
  }
  // Each token stays valid for its whole lifetime, whoever asks for another meanwhile (several workers each hold
  // one). Expired ones are dropped here so the map stays small.
  const nowMs = state.now().getTime();
  for (const [value, expiresAt] of state.tokens) if (nowMs >= expiresAt) state.tokens.delete(value);
  const value = randomString(ALNUM, 28);
  state.tokens.set(value, nowMs + state.tokenTtlSeconds * 1000);
  sendJson(res, 200, { access_token: value, expires_in: String(state.tokenTtlSeconds) });
}

export function requireBearer(state: MpesaSandboxState, req: IncomingMessage): void {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (!match) throw new ApiError(404, '404.001.04', 'Invalid Authentication Header');
  const presented = match[1] as string;
  const expiresAt = state.tokens.get(presented);
  if (expiresAt === undefined || state.now().getTime() >= expiresAt) {
    throw new ApiError(404, '404.001.03', 'Invalid Access Token');
  }
}
