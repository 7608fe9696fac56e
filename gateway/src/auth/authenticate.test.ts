import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { GraphQLError } from 'graphql';
import { ANONYMOUS, createMemoryStore } from '@registrar/platform';
import type { KeyValueStore } from '@registrar/platform';
import { generateSigningKey, signAccessToken } from './access-tokens.js';
import type { SigningKey } from './access-tokens.js';
import { ACCESS_COOKIE, createAuthenticator } from './authenticate.js';
import type { Authenticator } from './authenticate.js';
import { createSessionStore } from './session-store.js';
import type { Principal, Session, SessionStore } from './session-store.js';

const ada: Principal = { subject: 'user-ada', roles: ['student'], studentId: 'S0000123' };
const grace: Principal = { subject: 'user-grace', roles: ['staff', 'finance'] };

function isUnauthenticated(error: unknown): boolean {
  return (
    error instanceof GraphQLError &&
    error.extensions['code'] === 'UNAUTHENTICATED' &&
    (error.extensions['http'] as { status?: number } | undefined)?.status === 401
  );
}

describe('createAuthenticator', () => {
  let key: SigningKey;
  let store: KeyValueStore;
  let sessions: SessionStore;
  let authenticate: Authenticator;

  before(async () => {
    key = await generateSigningKey();
    store = createMemoryStore();
    sessions = createSessionStore(store);
    authenticate = createAuthenticator(() => [key], sessions);
  });
  after(async () => {
    await store.close();
  });

  async function signIn(principal: Principal): Promise<{ session: Session; token: string }> {
    const session = await sessions.create(principal, 'test browser');
    const token = await signAccessToken(
      {
        subject: session.subject,
        sessionId: session.id,
        roles: session.roles,
        ...(session.studentId ? { studentId: session.studentId } : {}),
      },
      key,
    );
    return { session, token };
  }

  test('a request without credentials acts for the anonymous viewer', async () => {
    assert.deepEqual(await authenticate({}), ANONYMOUS);
    assert.deepEqual(await authenticate({ cookie: 'theme=dark; lang=en' }), ANONYMOUS);
  });

  test('a valid bearer token acts for its user with roles and student id', async () => {
    const { session, token } = await signIn(ada);

    const viewer = await authenticate({ authorization: `Bearer ${token}` });

    assert.deepEqual(viewer, {
      kind: 'user',
      subject: 'user-ada',
      roles: ['student'],
      studentId: 'S0000123',
      sessionId: session.id,
    });
  });

  test('a user without a student id acts without one', async () => {
    const { session, token } = await signIn(grace);

    const viewer = await authenticate({ authorization: `Bearer ${token}` });

    assert.deepEqual(viewer, {
      kind: 'user',
      subject: 'user-grace',
      roles: ['staff', 'finance'],
      sessionId: session.id,
    });
  });

  test('a valid token in the access cookie acts for its user like a bearer token', async () => {
    const { session, token } = await signIn(ada);

    const viewer = await authenticate({ cookie: `theme=dark; ${ACCESS_COOKIE}=${token}` });

    assert.deepEqual(viewer, {
      kind: 'user',
      subject: 'user-ada',
      roles: ['student'],
      studentId: 'S0000123',
      sessionId: session.id,
    });
  });

  test('the cookie is named __Host-registrar-access', () => {
    assert.equal(ACCESS_COOKIE, '__Host-registrar-access');
  });

  test('authenticating marks the session as seen', async () => {
    const { session, token } = await signIn(ada);
    const before = session.lastSeenAt;

    await authenticate({ authorization: `Bearer ${token}` });

    const touched = await sessions.touch(session.id);
    assert.ok(touched && touched.lastSeenAt >= before);
  });

  test('a token for an ended session is refused with UNAUTHENTICATED and status 401', async () => {
    const { session, token } = await signIn(ada);
    assert.equal((await authenticate({ authorization: `Bearer ${token}` })).kind, 'user');

    await sessions.end(session.id);

    await assert.rejects(authenticate({ authorization: `Bearer ${token}` }), isUnauthenticated);
    await assert.rejects(authenticate({ cookie: `${ACCESS_COOKIE}=${token}` }), isUnauthenticated);
  });

  test('a garbage token is refused with UNAUTHENTICATED rather than treated as anonymous', async () => {
    for (const token of ['garbage', 'a.b.c', 'eyJhbGciOiJub25lIn0.e30.']) {
      await assert.rejects(authenticate({ authorization: `Bearer ${token}` }), isUnauthenticated);
      await assert.rejects(
        authenticate({ cookie: `${ACCESS_COOKIE}=${token}` }),
        isUnauthenticated,
      );
    }
  });

  test('a token signed by a key the gateway no longer publishes is refused', async () => {
    const { token } = await signIn(ada);
    const successor = await generateSigningKey();
    const rotated = createAuthenticator(() => [successor], sessions);

    await assert.rejects(rotated({ authorization: `Bearer ${token}` }), isUnauthenticated);
  });

  test('a token whose subject differs from its session’s owner is refused', async () => {
    const { session } = await signIn(ada);
    const forged = await signAccessToken(
      { subject: 'user-mallory', sessionId: session.id, roles: ['admin'] },
      key,
    );

    await assert.rejects(authenticate({ authorization: `Bearer ${forged}` }), isUnauthenticated);
  });

  test('roles come from the live session, not from the token', async () => {
    const { session } = await signIn(ada);
    const inflated = await signAccessToken(
      { subject: session.subject, sessionId: session.id, roles: ['admin'] },
      key,
    );

    const viewer = await authenticate({ authorization: `Bearer ${inflated}` });

    assert.equal(viewer.kind === 'user' && viewer.roles.join(), 'student');
  });

  // RFC 7235 §2.1: the authentication scheme is case-insensitive.
  test('the Bearer scheme is recognised in any letter case', async () => {
    const { session, token } = await signIn(ada);

    const viewer = await authenticate({ authorization: `bearer ${token}` });

    assert.equal(viewer.kind === 'user' && viewer.sessionId, session.id);
  });
});
