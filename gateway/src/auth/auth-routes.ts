import express from 'express';
import type { Request, Response, Router } from 'express';
import { parse as parseCookies } from 'cookie';
import { z } from 'zod';
import { createRequestError, hasRole, isRegisteredError } from '@registrar/platform';
import type { Logger, Viewer } from '@registrar/platform';
import { ACCESS_TOKEN_SECONDS, signAccessToken } from './access-tokens.js';
import type { AccountDirectory } from './account-directory.js';
import { assertAllowedOrigin } from './authenticate.js';
import type { Authenticator } from './authenticate.js';
import { SIGN_IN_FAILED, sendAuthError } from './auth-errors.js';
import { REFRESH_COOKIE, clearSessionCookies, setSessionCookies } from './cookies.js';
import type { KeyRing } from './key-ring.js';
import { createDecoyHash, verifyPassword } from './password-hash.js';
import type { Session, SessionStore } from './session-store.js';

/** Guards login against credential stuffing; the gateway's rate limits implement it. */
export interface LoginThrottle {
  /** Throws a typed request error (RATE_LIMITED, SERVICE_UNAVAILABLE) when login must wait. */
  check(username: string, ip: string): Promise<void>;
  recordFailure(username: string, ip: string): Promise<void>;
  reset(username: string): Promise<void>;
}

/** Options of {@link createAuthRouter}. */
export interface AuthRoutesOptions {
  accounts: AccountDirectory;
  sessions: SessionStore;
  keyRing: KeyRing;
  authenticate: Authenticator;
  logger: Logger;
  /** Origins allowed to receive session cookies (the web client's). */
  allowedOrigins: readonly string[];
  throttle?: LoginThrottle;
  /** Client IP of a request (the rate limits decide whether to trust a proxy). */
  clientIp(req: Request): string;
}

const loginSchema = z.object({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(1024),
  client: z.enum(['web', 'mobile']).default('web'),
  device: z.string().max(120).optional(),
});
const refreshSchema = z.object({
  client: z.enum(['web', 'mobile']).default('web'),
  refreshToken: z.string().max(200).optional(),
});
const passwordSchema = z.object({
  currentPassword: z.string().min(1).max(1024),
  newPassword: z.string().min(12, 'must be at least 12 characters').max(1024),
});

/**
 * The HTTP routes of sign-in: login, refresh (rotating), logout, sign out everywhere, the
 * caller's live sessions, password change, and disabling an account (admin). Web clients get
 * cookies and never see a token; mobile clients get tokens in the body.
 */
export function createAuthRouter(options: AuthRoutesOptions): Router {
  const router = express.Router();
  const decoy = createDecoyHash();
  router.use(express.json({ limit: '8kb' }));

  router.post('/login', (req, res) => handle(res, options, () => login(req, res, options, decoy)));
  router.post('/refresh', (req, res) => handle(res, options, () => refresh(req, res, options)));
  router.post('/logout', (req, res) =>
    handle(res, options, async () => {
      const viewer = await requireUser(req, options);
      await options.sessions.end(viewer.sessionId);
      clearSessionCookies(res);
      res.status(204).end();
    }),
  );
  router.post('/logout-all', (req, res) =>
    handle(res, options, async () => {
      const viewer = await requireUser(req, options);
      const ended = await options.sessions.endAll(viewer.subject);
      options.logger.info({ event: 'sign_out_everywhere', sessions: ended }, 'security event');
      clearSessionCookies(res);
      res.status(204).end();
    }),
  );
  router.get('/sessions', (req, res) =>
    handle(res, options, async () => {
      const viewer = await requireUser(req, options);
      const sessions = await options.sessions.list(viewer.subject);
      res.json({ sessions: sessions.map((s) => describeSession(s, viewer.sessionId)) });
    }),
  );
  router.delete('/sessions/:id', (req, res) =>
    handle(res, options, async () => {
      const viewer = await requireUser(req, options);
      const owned = (await options.sessions.list(viewer.subject)).some(
        (s) => s.id === req.params['id'],
      );
      if (!owned) return sendAuthError(res, 'NOT_FOUND', 'You have no live session with that id.');
      await options.sessions.end(String(req.params['id']));
      res.status(204).end();
    }),
  );
  router.post('/password', (req, res) =>
    handle(res, options, () => changePassword(req, res, options)),
  );
  router.post('/api-keys', (req, res) =>
    handle(res, options, () => createApiKey(req, res, options)),
  );
  router.delete('/api-keys/:id', (req, res) =>
    handle(res, options, async () => {
      const viewer = await requireUser(req, options);
      if (!hasRole(viewer, 'admin'))
        return sendAuthError(res, 'FORBIDDEN', 'Only administrators can revoke API keys.');
      const revoked = await options.accounts.apiKeys.revoke(String(req.params['id']));
      if (!revoked) return sendAuthError(res, 'NOT_FOUND', 'No live API key has that id.');
      options.logger.info({ event: 'api_key_revoked', keyId: req.params['id'] }, 'security event');
      res.status(204).end();
    }),
  );
  router.post('/accounts/:username/disable', (req, res) =>
    handle(res, options, () => setAccountDisabled(req, res, options, true)),
  );
  router.post('/accounts/:username/enable', (req, res) =>
    handle(res, options, () => setAccountDisabled(req, res, options, false)),
  );
  return router;
}

async function login(
  req: Request,
  res: Response,
  options: AuthRoutesOptions,
  decoy: Promise<string>,
): Promise<void> {
  const body = loginSchema.safeParse(req.body);
  if (!body.success) {
    return sendAuthError(
      res,
      'BAD_USER_INPUT',
      'Send JSON with "username" and "password" (and optionally "client": "web" or "mobile").',
    );
  }
  const { username, password, client } = body.data;
  if (client === 'web') assertAllowedOrigin(req.header('origin'), options.allowedOrigins);
  const ip = options.clientIp(req);
  await options.throttle?.check(username, ip);

  const account = await options.accounts.findByUsername(username);
  // Check a decoy hash for unknown users, so timing does not reveal which usernames exist.
  const valid = await verifyPassword(password, account?.passwordHash ?? (await decoy));
  if (!account || !valid || account.disabled) {
    await options.throttle?.recordFailure(username, ip);
    options.logger.info(
      { event: 'login_failed', accountId: account?.id ?? null },
      'security event',
    );
    return sendAuthError(res, 'UNAUTHENTICATED', SIGN_IN_FAILED);
  }
  await options.throttle?.reset(username);

  const principal = {
    subject: account.username,
    roles: account.roles,
    ...(account.studentId ? { studentId: account.studentId } : {}),
  };
  const session = await options.sessions.create(
    principal,
    body.data.device ?? req.header('user-agent') ?? 'unknown device',
  );
  options.logger.info(
    { event: 'login', accountId: account.id, sessionId: session.id, client },
    'security event',
  );
  await sendTokens(res, options, session, client);
}

async function refresh(req: Request, res: Response, options: AuthRoutesOptions): Promise<void> {
  const body = refreshSchema.safeParse(req.body ?? {});
  if (!body.success)
    return sendAuthError(
      res,
      'BAD_USER_INPUT',
      'Send JSON with "refreshToken" and "client": "mobile", or the refresh cookie.',
    );
  const { client } = body.data;
  if (client === 'web') assertAllowedOrigin(req.header('origin'), options.allowedOrigins);
  const token =
    client === 'mobile'
      ? body.data.refreshToken
      : parseCookies(req.header('cookie') ?? '')[REFRESH_COOKIE];
  const outcome = token
    ? await options.sessions.rotateRefreshToken(token)
    : ({ kind: 'invalid' } as const);

  switch (outcome.kind) {
    case 'rotated':
      return sendTokens(res, options, outcome.session, client, outcome.refreshToken);
    case 'reused':
      options.logger.warn(
        { event: 'refresh_token_reused', sessionId: outcome.sessionId },
        'security event: session family revoked',
      );
      clearSessionCookies(res);
      return sendAuthError(res, 'UNAUTHENTICATED', SIGN_IN_FAILED);
    case 'invalid':
      return sendAuthError(res, 'UNAUTHENTICATED', SIGN_IN_FAILED);
  }
}

async function sendTokens(
  res: Response,
  options: AuthRoutesOptions,
  session: Session,
  client: 'web' | 'mobile',
  refreshToken?: string,
): Promise<void> {
  const accessToken = await signAccessToken(
    {
      subject: session.subject,
      sessionId: session.id,
      roles: session.roles,
      ...(session.studentId ? { studentId: session.studentId } : {}),
    },
    options.keyRing.current(),
  );
  const rotated = refreshToken ?? (await options.sessions.issueRefreshToken(session));
  res.set('cache-control', 'no-store');
  if (client === 'mobile') {
    res.json({ accessToken, refreshToken: rotated, expiresIn: ACCESS_TOKEN_SECONDS });
    return;
  }
  setSessionCookies(res, accessToken, rotated, 12 * 3600);
  res.json({ expiresIn: ACCESS_TOKEN_SECONDS, roles: session.roles });
}

async function changePassword(
  req: Request,
  res: Response,
  options: AuthRoutesOptions,
): Promise<void> {
  const viewer = await requireUser(req, options);
  const body = passwordSchema.safeParse(req.body);
  if (!body.success)
    return sendAuthError(
      res,
      'BAD_USER_INPUT',
      'The new password must be at least 12 characters; send "currentPassword" and "newPassword".',
    );
  const account = await options.accounts.findByUsername(viewer.subject);
  if (!account || !(await verifyPassword(body.data.currentPassword, account.passwordHash))) {
    return sendAuthError(res, 'UNAUTHENTICATED', 'The current password is not correct.');
  }
  await options.accounts.changePassword(account.username, body.data.newPassword);
  const ended = await options.sessions.endAll(account.username, viewer.sessionId);
  options.logger.info(
    { event: 'password_changed', accountId: account.id, sessionsEnded: ended },
    'security event',
  );
  res.status(204).end();
}

async function createApiKey(
  req: Request,
  res: Response,
  options: AuthRoutesOptions,
): Promise<void> {
  const viewer = await requireUser(req, options);
  if (!hasRole(viewer, 'admin'))
    return sendAuthError(res, 'FORBIDDEN', 'Only administrators can issue API keys.');
  const partner = z
    .object({ partner: z.string().regex(/^[a-z0-9][a-z0-9-]{1,63}$/) })
    .safeParse(req.body);
  if (!partner.success) {
    return sendAuthError(
      res,
      'BAD_USER_INPUT',
      'Send JSON with "partner": a lower-case name such as "timetabling-co".',
    );
  }
  const created = await options.accounts.apiKeys.create(partner.data.partner, viewer.subject);
  options.logger.info({ event: 'api_key_issued', keyId: created.keyId }, 'security event');
  res.status(201).set('cache-control', 'no-store').json(created);
}

async function setAccountDisabled(
  req: Request,
  res: Response,
  options: AuthRoutesOptions,
  disabled: boolean,
): Promise<void> {
  const viewer = await requireUser(req, options);
  if (!hasRole(viewer, 'admin'))
    return sendAuthError(res, 'FORBIDDEN', 'Only administrators can disable or enable accounts.');
  const account = await options.accounts.setDisabled(String(req.params['username']), disabled);
  if (!account) return sendAuthError(res, 'NOT_FOUND', 'No account has that username.');
  const ended = disabled ? await options.sessions.endAll(account.username) : 0;
  options.logger.info(
    {
      event: disabled ? 'account_disabled' : 'account_enabled',
      accountId: account.id,
      sessionsEnded: ended,
    },
    'security event',
  );
  res.status(204).end();
}

async function requireUser(
  req: Request,
  options: AuthRoutesOptions,
): Promise<Extract<Viewer, { kind: 'user' }>> {
  const viewer = await options.authenticate(req.headers);
  if (viewer.kind !== 'user') throw createRequestError('UNAUTHENTICATED', 'Sign in first.');
  return viewer;
}

function describeSession(session: Session, currentId: string) {
  return {
    id: session.id,
    device: session.device,
    createdAt: new Date(session.createdAt).toISOString(),
    lastSeenAt: new Date(session.lastSeenAt).toISOString(),
    current: session.id === currentId,
  };
}

// The auth routes' error boundary: typed errors keep their code and status; anything else is
// logged once and answered with a masked 500-free message.
async function handle(
  res: Response,
  options: AuthRoutesOptions,
  work: () => Promise<void>,
): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (isRegisteredError(error)) {
      const code = error.extensions['code'] as Parameters<typeof sendAuthError>[1];
      const retryAfter = error.extensions['retryAfterSeconds'];
      if (typeof retryAfter === 'number') res.set('retry-after', String(retryAfter));
      return sendAuthError(res, code, error.message);
    }
    options.logger.error({ err: error }, 'auth route failed');
    sendAuthError(
      res,
      'SERVICE_UNAVAILABLE',
      'Signing in is not possible right now. Please try again shortly.',
    );
  }
}
