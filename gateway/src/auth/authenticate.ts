import type { IncomingHttpHeaders } from 'node:http';
import { parse as parseCookies } from 'cookie';
import { ANONYMOUS, createRequestError } from '@registrar/platform';
import type { Viewer } from '@registrar/platform';
import { verifyAccessToken } from './access-tokens.js';
import type { SigningKey } from './access-tokens.js';
import type { SessionStore } from './session-store.js';

/** The name of the web client's access-token cookie (host-only, Secure, path /). */
export const ACCESS_COOKIE = '__Host-registrar-access';

/** Turns a request's credentials into the viewer it acts for. */
export type Authenticator = (headers: IncomingHttpHeaders) => Promise<Viewer>;

/**
 * Creates the authenticator of the gateway. A request without credentials is anonymous; one
 * with a token that fails verification, or whose session has ended, is refused outright
 * (UNAUTHENTICATED) rather than quietly treated as anonymous, so a client learns to sign in again.
 */
export function createAuthenticator(
  keys: () => readonly SigningKey[],
  sessions: SessionStore,
): Authenticator {
  return async (headers) => {
    const token = readToken(headers);
    if (token === undefined) return ANONYMOUS;
    let claims;
    try {
      claims = await verifyAccessToken(token, keys());
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

function readToken(headers: IncomingHttpHeaders): string | undefined {
  const authorization = headers.authorization;
  if (authorization !== undefined) {
    // RFC 7235 §2.1: the scheme name is case-insensitive. Any other scheme is refused, not ignored.
    const [, token] = /^bearer +(\S+)\s*$/i.exec(authorization) ?? [];
    return token ?? '';
  }
  return headers.cookie ? parseCookies(headers.cookie)[ACCESS_COOKIE] : undefined;
}
