import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { SignJWT, decodeJwt, exportPKCS8, exportSPKI } from 'jose';
import type { JWTPayload } from 'jose';
import {
  ANONYMOUS,
  generateIdentityKeys,
  hasRole,
  importIdentityKeys,
  importIdentityPublicKey,
  signIdentity,
  verifyIdentity,
} from './identity.js';
import type { IdentityKeys, Viewer } from './identity.js';

const student: Viewer = {
  kind: 'user',
  subject: 'user-ada',
  roles: ['student'],
  studentId: 'S0000123',
  sessionId: 'session-1',
};

const nowSeconds = () => Math.floor(Date.now() / 1000);

function base64urlJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

interface CraftOptions {
  issuer?: string;
  audience?: string;
  issuedAt?: number;
  expiresAt?: number;
}

describe('identity tokens', () => {
  let keys: IdentityKeys;
  let otherKeys: IdentityKeys;
  // Taken from a real token, so these tests follow the gateway's own issuer and audience.
  let issuer: string;
  let audience: string;

  before(async () => {
    keys = await generateIdentityKeys();
    otherKeys = await generateIdentityKeys();
    const claims = decodeJwt(await signIdentity(student, keys.privateKey));
    issuer = claims.iss!;
    audience = claims.aud as string;
  });

  function userClaims(): JWTPayload {
    return { roles: ['student'], sid: 'session-1', stu: 'S0000123', anon: false };
  }

  async function craftToken(options: CraftOptions = {}, privateKey = keys.privateKey) {
    const issuedAt = options.issuedAt ?? nowSeconds();
    return new SignJWT(userClaims())
      .setProtectedHeader({ alg: 'ES256', typ: 'registrar-identity+jwt' })
      .setIssuer(options.issuer ?? issuer)
      .setAudience(options.audience ?? audience)
      .setSubject('user-ada')
      .setIssuedAt(issuedAt)
      .setExpirationTime(options.expiresAt ?? issuedAt + 60)
      .sign(privateKey);
  }

  test('an anonymous viewer verifies as anonymous', async () => {
    const token = await signIdentity(ANONYMOUS, keys.privateKey);

    assert.deepEqual(await verifyIdentity(token, keys.publicKey), ANONYMOUS);
  });

  test('a user viewer verifies with its subject, roles, session and student id', async () => {
    const token = await signIdentity(student, keys.privateKey);

    assert.deepEqual(await verifyIdentity(token, keys.publicKey), student);
  });

  test('a user viewer without a student id verifies without one', async () => {
    const staff: Viewer = {
      kind: 'user',
      subject: 'user-grace',
      roles: ['staff', 'finance'],
      sessionId: 'session-2',
    };

    const viewer = await verifyIdentity(await signIdentity(staff, keys.privateKey), keys.publicKey);

    assert.deepEqual(viewer, staff);
    assert.equal('studentId' in viewer, false);
  });

  test('keys imported from PEM sign and verify like the generated ones', async () => {
    const privatePem = await exportPKCS8(keys.privateKey);
    const publicPem = await exportSPKI(keys.publicKey);
    const imported = await importIdentityKeys(privatePem, publicPem);

    const token = await signIdentity(student, imported.privateKey);

    assert.deepEqual(await verifyIdentity(token, keys.publicKey), student);
    assert.deepEqual(
      await verifyIdentity(token, await importIdentityPublicKey(publicPem)),
      student,
    );
  });

  test('a token crafted like the gateway does verifies, so the refusals below are meaningful', async () => {
    assert.deepEqual(await verifyIdentity(await craftToken(), keys.publicKey), student);
  });

  test('a token signed with another key is refused', async () => {
    const token = await signIdentity(student, otherKeys.privateKey);

    await assert.rejects(verifyIdentity(token, keys.publicKey));
  });

  test('an expired token is refused', async () => {
    const token = await craftToken({ issuedAt: nowSeconds() - 30, expiresAt: nowSeconds() - 5 });

    await assert.rejects(verifyIdentity(token, keys.publicKey));
  });

  test('a token issued more than 60 seconds ago is refused even when its exp lies ahead', async () => {
    const token = await craftToken({ issuedAt: nowSeconds() - 600, expiresAt: nowSeconds() + 600 });

    await assert.rejects(verifyIdentity(token, keys.publicKey));
  });

  test('a token for another audience is refused', async () => {
    const token = await craftToken({ audience: 'registrar-api' });

    await assert.rejects(verifyIdentity(token, keys.publicKey));
  });

  test('a token from another issuer is refused', async () => {
    const token = await craftToken({ issuer: 'https://attacker.example' });

    await assert.rejects(verifyIdentity(token, keys.publicKey));
  });

  test('an unsigned token with alg "none" is refused', async () => {
    const claims = decodeJwt(await craftToken());
    const header = base64urlJson({ alg: 'none' });
    const token = `${header}.${base64urlJson({ ...claims, roles: ['admin'] })}.`;

    await assert.rejects(verifyIdentity(token, keys.publicKey));
  });

  test('an HS256 token keyed with the bytes of the public key is refused', async () => {
    const publicPem = await exportSPKI(keys.publicKey);
    const publicDer = Buffer.from(publicPem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    const claims = decodeJwt(await craftToken());

    for (const secret of [new TextEncoder().encode(publicPem), new Uint8Array(publicDer)]) {
      const token = await new SignJWT({ ...claims, roles: ['admin'] })
        .setProtectedHeader({ alg: 'HS256', typ: 'registrar-identity+jwt' })
        .sign(secret);

      await assert.rejects(verifyIdentity(token, keys.publicKey));
    }
  });

  test('a token whose claims were changed after signing is refused', async () => {
    const original = await craftToken();
    const [header, , signature] = original.split('.');
    const claims = decodeJwt(original);
    const token = `${header}.${base64urlJson({ ...claims, roles: ['admin'] })}.${signature}`;

    await assert.rejects(verifyIdentity(token, keys.publicKey));
  });
});

describe('hasRole', () => {
  test('a user holds a role listed in its roles and no other', () => {
    assert.equal(hasRole(student, 'student'), true);
    assert.equal(hasRole(student, 'admin', 'student'), true);
    assert.equal(hasRole(student, 'admin'), false);
  });

  test('an anonymous viewer holds no role', () => {
    assert.equal(hasRole(ANONYMOUS, 'student', 'partner', 'finance', 'staff', 'admin'), false);
  });
});
