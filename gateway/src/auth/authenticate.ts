import type { IncomingHttpHeaders } from 'node:http';
import { parse as parseCookies } from 'cookie';
import { ANONYMOUS, createRequestError } from '@registrar/platform';
import type { Viewer } from '@registrar/platform';
import { verifyAccessToken } from './access-tokens.js';
import type { SigningKey } from './access-tokens.js';
import { ACCESS_COOKIE } from './cookies.js';
import type { ApiKeyStore } from './api-keys.js';
import type { SessionStore } from './session-store.js';

export { ACCESS_COOKIE } from './cookies.js';

/** Turns a request's credentials into the viewer it acts for. */
export type Authenticator = (headers: IncomingHttpHeaders) => Promise<Viewer>;

/** Options of {@link createAuthenticator}. */
export interface AuthenticatorOptions {
  /**
   * Origins allowed to send cookie-authenticated requests (CSRF defence in depth beside
   * SameSite=Strict). Unset: cookie credentials are checked without an Origin check.
   */
  allowedOrigins?: readonly string[];
  /** Partner API keys, sent as `X-Api-Key`; unset: no partner may call. */
  apiKeys?: ApiKeyStore;
}

/**
 * Creates the authenticator of the gateway. A request without credentials is anonymous; one
 * with a token that fails verification, or whose session has ended, is refused outright
 * (UNAUTHENTICATED) rather than quietly treated as anonymous, so a client learns to sign in again.
 */
export function createAuthenticator(
  keys: () => readonly SigningKey[],
  sessions: SessionStore,
  options: AuthenticatorOptions = {},
): Authenticator {
  return async (headers) => {
    const apiKey = headers['x-api-key'];
    if (typeof apiKey === 'string' && options.apiKeys)
      return authenticatePartner(apiKey, options.apiKeys);
    const credential = readCredential(headers);
    if (!credential) return ANONYMOUS;
    if (credential.via === 'cookie' && options.allowedOrigins) {
      assertAllowedOrigin(headers.origin, options.allowedOrigins);
    }
    let claims;
    try {
      claims = await verifyAccessToken(credential.token, keys());
    } catch {
      throw createRequestError(
        'UNAUTHENTICATED',
        'Your sign-in is not valid or has expired. Sign in again.',
      );
    }
    const session = await sessions.touch(claims.sessionId);
    if (!session || session.subject !== claims.subject) {
      throw createRequestError('UNAUTHENTICATED', 'Your session has ended. Sign in again.');
    }
    return {
      kind: 'user',
      subject: session.subject,
      roles: session.roles,
      sessionId: session.id,
      ...(session.studentId ? { studentId: session.studentId } : {}),
    };
  };
}

// A partner acts under its key: the key id stands where a session id would.
async function authenticatePartner(apiKey: string, apiKeys: ApiKeyStore): Promise<Viewer> {
  const identity = await apiKeys.verify(apiKey);
  if (!identity) {
    throw createRequestError(
      'UNAUTHENTICATED',
      'The API key is not valid or has been revoked. Ask the registry for a new one.',
    );
  }
  return {
    kind: 'user',
    subject: `partner:${identity.partner}`,
    roles: ['partner'],
    sessionId: `apikey:${identity.keyId}`,
  };
}

/** Refuses a cookie-authenticated request from an origin that is not the web client's. */
export function assertAllowedOrigin(origin: string | undefined, allowed: readonly string[]): void {
  if (!origin || !allowed.includes(origin)) {
    throw createRequestError(
      'FORBIDDEN',
      'Requests signed in with a cookie must come from the Registrar web client. Open the site again or sign in from it.',
    );
  }
}

function readCredential(
  headers: IncomingHttpHeaders,
): { token: string; via: 'bearer' | 'cookie' } | undefined {
  const authorization = headers.authorization;
  if (authorization !== undefined) {
    // RFC 7235 §2.1: the scheme name is case-insensitive. Any other scheme is refused, not ignored.
    const [, token] = /^bearer +(\S+)\s*$/i.exec(authorization) ?? [];
    return { token: token ?? '', via: 'bearer' };
  }
  const token = headers.cookie ? parseCookies(headers.cookie)[ACCESS_COOKIE] : undefined;
  return token === undefined ? undefined : { token, via: 'cookie' };
}
