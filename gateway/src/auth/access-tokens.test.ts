import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { before, describe, test } from 'node:test';
import { SignJWT, decodeJwt, exportPKCS8, exportSPKI } from 'jose';
import type { JWTHeaderParameters } from 'jose';
import {
  generateSigningKey,
  importSigningKey,
  signAccessToken,
  verifyAccessToken,
} from './access-tokens.js';
import type { AccessClaims, SigningKey } from './access-tokens.js';

const claims: AccessClaims = {
  subject: 'user-ada',
  sessionId: 'session-1',
  roles: ['student'],
  studentId: 'S0000123',
};

const nowSeconds = () => Math.floor(Date.now() / 1000);

function base64urlJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

interface CraftOptions {
  key?: SigningKey;
  header?: Partial<JWTHeaderParameters>;
  issuer?: string;
  audience?: string;
  notBefore?: number;
  expiresAt?: number;
  roles?: string[];
  omit?: Array<'exp' | 'nbf'>;
}

describe('access tokens', () => {
  let current: SigningKey;
  let previous: SigningKey;
  // Taken from a real token, so these tests follow the gateway's own issuer and audience.
  let issuer: string;
  let audience: string;

  before(async () => {
    current = await generateSigningKey();
    previous = await generateSigningKey();
    const payload = decodeJwt(await signAccessToken(claims, current));
    issuer = payload.iss!;
    audience = payload.aud as string;
  });

  /** Builds a token the way signAccessToken does, with one thing changed. */
  function craftToken(options: CraftOptions = {}): Promise<string> {
    const key = options.key ?? current;
    const now = nowSeconds();
    const jwt = new SignJWT({ sid: claims.sessionId, roles: options.roles ?? claims.roles })
      .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'at+jwt', ...options.header })
      .setIssuer(options.issuer ?? issuer)
      .setAudience(options.audience ?? audience)
      .setSubject(claims.subject)
      .setIssuedAt(now)
      .setJti(randomUUID());
    if (!options.omit?.includes('nbf')) jwt.setNotBefore(options.notBefore ?? now);
    if (!options.omit?.includes('exp')) jwt.setExpirationTime(options.expiresAt ?? now + 900);
    return jwt.sign(key.privateKey);
  }

  async function verifiesWithCurrentKey(token: string): Promise<AccessClaims> {
    return verifyAccessToken(token, [current]);
  }

  test('a signed token verifies with its subject, session, roles and student id', async () => {
    const token = await signAccessToken(claims, current);

    assert.deepEqual(await verifiesWithCurrentKey(token), claims);
  });

  test('a token for a user without a student id verifies without one', async () => {
    const staff: AccessClaims = { subject: 'user-grace', sessionId: 's-2', roles: ['staff'] };

    const verified = await verifiesWithCurrentKey(await signAccessToken(staff, current));

    assert.deepEqual(verified, staff);
    assert.equal('studentId' in verified, false);
  });

  test('a token lives 15 minutes and names its key', async () => {
    const token = await signAccessToken(claims, current);
    const payload = decodeJwt(token);
    const [header] = token.split('.');

    assert.equal(payload.exp! - payload.iat!, 15 * 60);
    assert.deepEqual(JSON.parse(Buffer.from(header!, 'base64url').toString()), {
      alg: 'ES256',
      kid: current.kid,
      typ: 'at+jwt',
    });
  });

  test('a token crafted like signAccessToken verifies, so the refusals below are meaningful', async () => {
    const verified = await verifiesWithCurrentKey(await craftToken());

    assert.equal(verified.subject, claims.subject);
  });

  test('an expired token is refused', async () => {
    const token = await craftToken({
      notBefore: nowSeconds() - 1000,
      expiresAt: nowSeconds() - 60,
    });

    await assert.rejects(verifiesWithCurrentKey(token));
  });

  test('a token not yet valid is refused', async () => {
    const token = await craftToken({ notBefore: nowSeconds() + 300 });

    await assert.rejects(verifiesWithCurrentKey(token));
  });

  test('a token without an expiry or a not-before time is refused', async () => {
    await assert.rejects(verifiesWithCurrentKey(await craftToken({ omit: ['exp'] })));
    await assert.rejects(verifiesWithCurrentKey(await craftToken({ omit: ['nbf'] })));
  });

  test('a token for another audience is refused', async () => {
    const token = await craftToken({ audience: 'registrar-subgraphs' });

    await assert.rejects(verifiesWithCurrentKey(token));
  });

  test('a token from another issuer is refused', async () => {
    const token = await craftToken({ issuer: 'https://attacker.example' });

    await assert.rejects(verifiesWithCurrentKey(token));
  });

  test('a token whose kid names no published key is refused', async () => {
    await assert.rejects(
      verifiesWithCurrentKey(await craftToken({ header: { kid: randomUUID() } })),
    );
    await assert.rejects(verifiesWithCurrentKey(await craftToken({ header: { kid: undefined } })));
  });

  test('a token signed by an unpublished key that borrows a published kid is refused', async () => {
    const stranger = await generateSigningKey();
    const token = await craftToken({ key: stranger, header: { kid: current.kid } });

    await assert.rejects(verifiesWithCurrentKey(token));
  });

  test('an unsigned token with alg "none" is refused', async () => {
    const payload = decodeJwt(await craftToken());
    const header = { alg: 'none', kid: current.kid, typ: 'at+jwt' };
    const token = `${base64urlJson(header)}.${base64urlJson({ ...payload, roles: ['admin'] })}.`;

    await assert.rejects(verifiesWithCurrentKey(token));
  });

  test('an HS256 token keyed with the public key is refused', async () => {
    const payload = decodeJwt(await craftToken());
    const secrets = [
      new TextEncoder().encode(await exportSPKI(current.publicKey)),
      new TextEncoder().encode(JSON.stringify(current.publicJwk)),
    ];

    for (const secret of secrets) {
      const token = await new SignJWT({ ...payload, roles: ['admin'] })
        .setProtectedHeader({ alg: 'HS256', kid: current.kid, typ: 'at+jwt' })
        .sign(secret);

      await assert.rejects(verifiesWithCurrentKey(token));
    }
  });

  test('a token whose header points elsewhere for its key is refused, even when signed right', async () => {
    const headers: Array<Partial<JWTHeaderParameters>> = [
      { jku: 'https://attacker.example/.well-known/jwks.json' },
      { x5u: 'https://attacker.example/signing-cert.pem' },
      { jwk: current.publicJwk },
    ];

    for (const header of headers) {
      const token = await craftToken({ header });

      await assert.rejects(verifiesWithCurrentKey(token), Error, Object.keys(header)[0]);
    }
  });

  test('a token of another type is refused', async () => {
    for (const typ of ['JWT', 'registrar-identity+jwt']) {
      await assert.rejects(
        verifiesWithCurrentKey(await craftToken({ header: { typ } })),
        Error,
        typ,
      );
    }
  });

  test('a token naming a role the system does not have is refused', async () => {
    const token = await craftToken({ roles: ['student', 'superuser'] });

    await assert.rejects(verifiesWithCurrentKey(token));
  });

  test('a token signed by an older key verifies while that key is still published', async () => {
    const token = await signAccessToken(claims, previous);

    assert.deepEqual(await verifyAccessToken(token, [current, previous]), claims);
  });

  test('a token signed by an older key stops verifying once that key is withdrawn', async () => {
    const token = await signAccessToken(claims, previous);

    await assert.rejects(verifyAccessToken(token, [current]));
    assert.deepEqual(
      await verifyAccessToken(await signAccessToken(claims, current), [current]),
      claims,
    );
  });
});

describe('signing keys', () => {
  test('the published JWK carries the key id and only the public half of the key', async () => {
    const key = await generateSigningKey();

    assert.equal(key.publicJwk.kid, key.kid);
    assert.equal(key.publicJwk.alg, 'ES256');
    assert.equal(key.publicJwk.use, 'sig');
    assert.equal(key.publicJwk.d, undefined);
  });

  test('every generated key has a key id of its own', async () => {
    const [first, second] = await Promise.all([generateSigningKey(), generateSigningKey()]);

    assert.notEqual(first.kid, second.kid);
  });

  test('a key imported from PEM signs tokens that verify under its key id', async () => {
    const generated = await generateSigningKey();
    const imported = await importSigningKey(await exportPKCS8(generated.privateKey), 'key-2025-09');

    const token = await signAccessToken(claims, imported);

    assert.equal(imported.kid, 'key-2025-09');
    assert.equal(imported.publicJwk.d, undefined);
    assert.deepEqual(await verifyAccessToken(token, [imported]), claims);
  });
});
