import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { postGraphQL, startTestSystem } from './support/test-system.js';
import type { TestSystem } from './support/test-system.js';

const ORIGIN = 'http://127.0.0.1:4000';

/** Parses `Set-Cookie` headers into name → attributes (lower-cased keys). */
function parseSetCookies(response: Response): Map<string, Record<string, string | true>> {
  const cookies = new Map<string, Record<string, string | true>>();
  for (const header of response.headers.getSetCookie()) {
    const [pair, ...attributes] = header.split(';').map((part) => part.trim());
    const [name, value] = pair!.split('=');
    const parsed: Record<string, string | true> = { value: value ?? '' };
    for (const attribute of attributes) {
      const [key, attributeValue] = attribute.split('=');
      parsed[key!.toLowerCase()] = attributeValue ?? true;
    }
    cookies.set(name!, parsed);
  }
  return cookies;
}

describe('sessions at the gateway', () => {
  let t: TestSystem;
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${t.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  const me = (token: string) => t.graphql('{ me { studentNumber } }', {}, token);

  before(async () => {
    // No grace for refresh-token reuse, so that the reuse tests need not wait.
    t = await startTestSystem({ REFRESH_REUSE_GRACE_SECONDS: '0' });
  });
  after(() => t.stop());

  test('a web login sets HttpOnly, Secure, SameSite=Strict cookies and returns no token', async () => {
    const response = await post(
      '/auth/login',
      { username: 's0001', password: 'registrar-demo' },
      { origin: ORIGIN },
    );
    assert.equal(response.status, 200);
    const body = await response.text();
    assert.doesNotMatch(body, /eyJ/, 'no JWT in the body');
    const cookies = parseSetCookies(response);
    const access = cookies.get('__Host-registrar-access')!;
    const refresh = cookies.get('__Secure-registrar-refresh')!;
    for (const cookie of [access, refresh]) {
      assert.equal(cookie['httponly'], true);
      assert.equal(cookie['secure'], true);
      assert.equal(cookie['samesite'], 'Strict');
      assert.equal(cookie['domain'], undefined, 'host-only');
    }
    assert.equal(access['path'], '/');
    assert.equal(access['max-age'], '900');
    assert.equal(refresh['path'], '/auth/refresh');
  });

  test('a mobile login returns a 15-minute ES256 access token with kid, iss, aud, sub, roles and session id', async () => {
    const { accessToken, refreshToken } = await t.login('s0002');
    const header = decodeProtectedHeader(accessToken);
    const claims = decodeJwt(accessToken);
    assert.equal(header.alg, 'ES256');
    assert.equal(header.kid, t.system.keyRing.current().kid);
    assert.equal(claims.sub, 's0002');
    assert.equal(claims.aud, 'registrar-api');
    assert.ok(claims.iss);
    assert.deepEqual(claims['roles'], ['student']);
    assert.ok(claims['sid']);
    assert.equal(claims.exp! - claims.iat!, 900);
    assert.ok(Buffer.from(refreshToken, 'base64url').length >= 32, 'at least 256 random bits');
    assert.equal((await me(accessToken)).data!['me'].studentNumber, 's0002');
  });

  test('a wrong password and an unknown user fail alike, with 401 and no hint of which part was wrong', async () => {
    const wrongPassword = await post('/auth/login', {
      username: 's0001',
      password: 'nope',
      client: 'mobile',
    });
    const unknownUser = await post('/auth/login', {
      username: 'nobody',
      password: 'nope',
      client: 'mobile',
    });
    assert.equal(wrongPassword.status, 401);
    assert.equal(unknownUser.status, 401);
    assert.deepEqual(await wrongPassword.json(), await unknownUser.json());
  });

  test('a refresh rotates the refresh token; a reused one revokes the whole session family', async () => {
    const first = await t.login('s0003');
    const rotated = await post('/auth/refresh', {
      client: 'mobile',
      refreshToken: first.refreshToken,
    });
    assert.equal(rotated.status, 200);
    const second = (await rotated.json()) as { accessToken: string; refreshToken: string };
    assert.notEqual(second.refreshToken, first.refreshToken);
    assert.equal((await me(second.accessToken)).status, 200);

    const replay = await post('/auth/refresh', {
      client: 'mobile',
      refreshToken: first.refreshToken,
    });
    assert.equal(replay.status, 401);
    // The thief's replay ended the session: even the legitimate newest tokens stop working.
    assert.equal((await me(second.accessToken)).status, 401);
    const again = await post('/auth/refresh', {
      client: 'mobile',
      refreshToken: second.refreshToken,
    });
    assert.equal(again.status, 401);
  });

  test('of two concurrent refreshes with one token, exactly one succeeds', async () => {
    const { refreshToken } = await t.login('s0004');
    const results = await Promise.all(
      [1, 2].map(() => post('/auth/refresh', { client: 'mobile', refreshToken })),
    );
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 401]);
  });

  test('logout ends the access token on its very next request', async () => {
    const { accessToken } = await t.login('s0005');
    assert.equal((await me(accessToken)).status, 200);
    const logout = await post('/auth/logout', {}, { authorization: `Bearer ${accessToken}` });
    assert.equal(logout.status, 204);
    const after = await me(accessToken);
    assert.equal(after.status, 401);
    assert.equal(after.errors?.[0]?.extensions?.['code'], 'UNAUTHENTICATED');
  });

  test('sign out everywhere ends every session of the account', async () => {
    const phone = await t.login('s0006');
    const laptop = await t.login('s0006');
    await post('/auth/logout-all', {}, { authorization: `Bearer ${phone.accessToken}` });
    assert.equal((await me(phone.accessToken)).status, 401);
    assert.equal((await me(laptop.accessToken)).status, 401);
  });

  test('a student lists their live sessions and ends one of them', async () => {
    // Real Redis keeps sessions of earlier runs: start from none.
    const stale = await t.login('s0007');
    await post('/auth/logout-all', {}, { authorization: `Bearer ${stale.accessToken}` });
    const phone = await t.login('s0007');
    const laptop = await t.login('s0007');
    const listed = await fetch(`${t.baseUrl}/auth/sessions`, {
      headers: { authorization: `Bearer ${phone.accessToken}` },
    });
    const { sessions } = (await listed.json()) as {
      sessions: Array<{ id: string; current: boolean; device: string; lastSeenAt: string }>;
    };
    assert.equal(sessions.length, 2);
    assert.equal(sessions.filter((s) => s.current).length, 1);
    assert.ok(sessions.every((s) => s.device && s.lastSeenAt));

    const other = sessions.find((s) => !s.current)!;
    const ended = await fetch(`${t.baseUrl}/auth/sessions/${other.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${phone.accessToken}` },
    });
    assert.equal(ended.status, 204);
    assert.equal((await me(laptop.accessToken)).status, 401);
    assert.equal((await me(phone.accessToken)).status, 200);
  });

  test('disabling an account ends its sessions at once and refuses its logins', async () => {
    const student = await t.login('s0008');
    const admin = await t.login('admin1');
    const disable = await post(
      '/auth/accounts/s0008/disable',
      {},
      { authorization: `Bearer ${admin.accessToken}` },
    );
    assert.equal(disable.status, 204);
    try {
      assert.equal((await me(student.accessToken)).status, 401);
      const login = await post('/auth/login', {
        username: 's0008',
        password: 'registrar-demo',
        client: 'mobile',
      });
      assert.equal(login.status, 401);
    } finally {
      await post(
        '/auth/accounts/s0008/enable',
        {},
        { authorization: `Bearer ${admin.accessToken}` },
      );
    }
    assert.ok((await t.login('s0008')).accessToken);
  });

  test('a student cannot disable accounts', async () => {
    const student = await t.login('s0009');
    const response = await post(
      '/auth/accounts/s0010/disable',
      {},
      { authorization: `Bearer ${student.accessToken}` },
    );
    assert.equal(response.status, 403);
  });

  test('a password change ends every other session of the account', async () => {
    const kept = await t.login('s0011');
    const other = await t.login('s0011');
    const headers = { authorization: `Bearer ${kept.accessToken}` };
    const change = await post(
      '/auth/password',
      { currentPassword: 'registrar-demo', newPassword: 'a much longer passphrase' },
      headers,
    );
    assert.equal(change.status, 204);
    try {
      assert.equal((await me(other.accessToken)).status, 401);
      assert.equal((await me(kept.accessToken)).status, 200);
      await assert.rejects(t.login('s0011'));
      assert.ok((await t.login('s0011', 'a much longer passphrase')).accessToken);
    } finally {
      await post(
        '/auth/password',
        { currentPassword: 'a much longer passphrase', newPassword: 'registrar-demo' },
        headers,
      );
    }
  });

  test("a cookie-authenticated request needs the web client's Origin", async () => {
    const login = await post(
      '/auth/login',
      { username: 's0012', password: 'registrar-demo' },
      { origin: ORIGIN },
    );
    const cookie = `__Host-registrar-access=${parseSetCookies(login).get('__Host-registrar-access')!['value']}`;
    const query = '{ me { studentNumber } }';
    const withOrigin = await postGraphQL<any>(t.system.gateway.url, query, {}, undefined, {
      cookie,
      origin: ORIGIN,
    });
    assert.equal(withOrigin.data.me.studentNumber, 's0012');
    for (const origin of [undefined, 'https://evil.example']) {
      const response = await postGraphQL(t.system.gateway.url, query, {}, undefined, {
        cookie,
        ...(origin ? { origin } : {}),
      });
      assert.equal(response.status, 403);
      assert.equal(response.errors?.[0]?.extensions?.['code'], 'FORBIDDEN');
    }
  });

  test('a login from another origin is refused for the web client', async () => {
    const response = await post(
      '/auth/login',
      { username: 's0013', password: 'registrar-demo' },
      { origin: 'https://evil.example' },
    );
    assert.equal(response.status, 403);
    assert.equal(response.headers.getSetCookie().length, 0);
  });

  test('tokens signed with alg none, an unknown kid or a jku header are refused', async () => {
    const { accessToken } = await t.login('s0014');
    const [, payload, signature] = accessToken.split('.');
    const forge = (header: object) =>
      `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${payload}.${signature}`;
    const kid = t.system.keyRing.current().kid;
    for (const token of [
      `${Buffer.from('{"alg":"none","typ":"at+jwt"}').toString('base64url')}.${payload}.`,
      forge({ alg: 'ES256', typ: 'at+jwt', kid: 'someone-elses-key' }),
      forge({ alg: 'ES256', typ: 'at+jwt', kid, jku: 'https://evil.example/jwks.json' }),
      forge({ alg: 'HS256', typ: 'at+jwt', kid }),
    ]) {
      const response = await me(token);
      assert.equal(response.status, 401);
      assert.equal(response.errors?.[0]?.extensions?.['code'], 'UNAUTHENTICATED');
    }
  });

  test('after a key rotation, tokens of the previous key still work and both keys are published', async () => {
    const { accessToken } = await t.login('s0015');
    const previous = t.system.keyRing.current().kid;
    await t.system.keyRing.rotate();
    assert.equal((await me(accessToken)).status, 200);
    const jwks = (await (await fetch(`${t.baseUrl}/.well-known/jwks.json`)).json()) as {
      keys: Array<{ kid: string; d?: string }>;
    };
    assert.deepEqual(
      jwks.keys.map((k) => k.kid).sort(),
      [previous, t.system.keyRing.current().kid].sort(),
    );
    assert.ok(
      jwks.keys.every((key) => key.d === undefined),
      'no private key material',
    );
    const fresh = await t.login('s0015');
    assert.equal(decodeProtectedHeader(fresh.accessToken).kid, t.system.keyRing.current().kid);
  });
});

describe('malformed HTTP requests get a 4xx with a typed error, never a 500', () => {
  let t: TestSystem;
  before(async () => {
    t = await startTestSystem();
  });
  after(() => t.stop());

  const send = (body: string, contentType = 'application/json') =>
    fetch(t.system.gateway.url, { method: 'POST', headers: { 'content-type': contentType }, body });

  test('malformed JSON is a 400 BAD_REQUEST', async () => {
    const response = await send('{"query": "{ modules');
    assert.equal(response.status, 400);
    const body = (await response.json()) as any;
    assert.equal(body.errors[0].extensions.code, 'BAD_REQUEST');
  });

  test('a body over the size limit is a 413', async () => {
    const response = await send(
      JSON.stringify({ query: `{ modules { totalCount } } #${'x'.repeat(300_000)}` }),
    );
    assert.equal(response.status, 413);
    assert.equal(((await response.json()) as any).errors[0].extensions.code, 'BAD_REQUEST');
  });

  test('a text/plain body (a cross-site form post) is refused by CSRF prevention', async () => {
    const response = await send(
      JSON.stringify({ query: '{ modules { totalCount } }' }),
      'text/plain',
    );
    assert.equal(response.status, 400);
  });

  test('an unknown operation name is a 400 with a typed error', async () => {
    const response = await fetch(t.system.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'query A { modules { totalCount } }', operationName: 'B' }),
    });
    assert.equal(response.status, 400);
    assert.equal(
      ((await response.json()) as any).errors[0].extensions.code,
      'OPERATION_RESOLUTION_FAILURE',
    );
  });

  test('a login with a malformed body is a 400 that says what to send', async () => {
    const response = await fetch(`${t.baseUrl}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"username": 42}',
    });
    assert.equal(response.status, 400);
    const body = (await response.json()) as any;
    assert.equal(body.error.code, 'BAD_USER_INPUT');
    assert.match(body.error.message, /username/);
  });
});
