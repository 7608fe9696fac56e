import { serialize } from 'cookie';
import type { Response } from 'express';
import { ACCESS_TOKEN_SECONDS } from './access-tokens.js';

/** The web client's access-token cookie: host-only (`__Host-`), every path. */
export const ACCESS_COOKIE = '__Host-registrar-access';
/**
 * The web client's refresh-token cookie. It is sent only to the refresh route, so its path
 * cannot be `/` and the `__Host-` prefix is not allowed; `__Secure-` still demands `Secure`.
 */
export const REFRESH_COOKIE = '__Secure-registrar-refresh';
/** The only path the refresh cookie is sent to. */
export const REFRESH_PATH = '/auth/refresh';

const BASE = { httpOnly: true, secure: true, sameSite: 'strict' } as const;

/** Sets both session cookies on a response. */
export function setSessionCookies(
  res: Response,
  accessToken: string,
  refreshToken: string,
  refreshSeconds: number,
): void {
  res.append(
    'Set-Cookie',
    serialize(ACCESS_COOKIE, accessToken, { ...BASE, path: '/', maxAge: ACCESS_TOKEN_SECONDS }),
  );
  res.append(
    'Set-Cookie',
    serialize(REFRESH_COOKIE, refreshToken, {
      ...BASE,
      path: REFRESH_PATH,
      maxAge: refreshSeconds,
    }),
  );
}

/** Tells the browser to drop both session cookies. */
export function clearSessionCookies(res: Response): void {
  res.append('Set-Cookie', serialize(ACCESS_COOKIE, '', { ...BASE, path: '/', maxAge: 0 }));
  res.append(
    'Set-Cookie',
    serialize(REFRESH_COOKIE, '', { ...BASE, path: REFRESH_PATH, maxAge: 0 }),
  );
}
