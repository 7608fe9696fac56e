import { createPrivateKey, createPublicKey, randomUUID } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair, jwtVerify } from 'jose';
import type { CryptoKey, JWK, JWTHeaderParameters, KeyObject } from 'jose';
import { z } from 'zod';
import { ROLES } from '@registrar/platform';
import type { Role } from '@registrar/platform';

const ALGORITHM = 'ES256';
/** Access tokens live 15 minutes; the session behind them is checked on every request. */
export const ACCESS_TOKEN_SECONDS = 15 * 60;
const ISSUER = 'https://registrar.local';
const AUDIENCE = 'registrar-api';

type Key = CryptoKey | KeyObject;

/** One signing key with its id, as published in the JWKS. */
export interface SigningKey {
  kid: string;
  privateKey: Key;
  publicKey: Key;
  publicJwk: JWK;
}

/** The claims of a verified access token. */
export interface AccessClaims {
  subject: string;
  sessionId: string;
  roles: Role[];
  studentId?: string;
}

/** Creates a fresh ES256 signing key with a random key id. */
export async function generateSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(ALGORITHM, { extractable: true });
  return toSigningKey(privateKey, publicKey, randomUUID());
}

/** Imports a signing key from PKCS#8 PEM text. */
export async function importSigningKey(privatePem: string, kid: string): Promise<SigningKey> {
  const privateKey = createPrivateKey(privatePem);
  return toSigningKey(privateKey, createPublicKey(privateKey), kid);
}

async function toSigningKey(privateKey: Key, publicKey: Key, kid: string): Promise<SigningKey> {
  const publicJwk = await exportJWK(publicKey);
  return {
    kid,
    privateKey,
    publicKey,
    publicJwk: { ...publicJwk, kid, alg: ALGORITHM, use: 'sig' },
  };
}

/** Signs a 15-minute access token for a session. */
export function signAccessToken(claims: AccessClaims, key: SigningKey): Promise<string> {
  return new SignJWT({
    sid: claims.sessionId,
    roles: claims.roles,
    ...(claims.studentId ? { stu: claims.studentId } : {}),
  })
    .setProtectedHeader({ alg: ALGORITHM, kid: key.kid, typ: 'at+jwt' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(claims.subject)
    .setIssuedAt()
    .setNotBefore('0s')
    .setExpirationTime(`${ACCESS_TOKEN_SECONDS}s`)
    .setJti(randomUUID())
    .sign(key.privateKey);
}

const claimsSchema = z.object({
  sub: z.string().min(1),
  sid: z.string().min(1),
  roles: z.array(z.enum(ROLES)),
  stu: z.string().optional(),
});

/**
 * Verifies an access token against the published keys: ES256 only, a known `kid`, our issuer
 * and audience, within its validity. Headers that point elsewhere for keys (`jku`, `x5u`,
 * `jwk`) are refused outright rather than ignored.
 * @throws when the token is not valid, for any reason.
 */
export async function verifyAccessToken(
  token: string,
  keys: readonly SigningKey[],
): Promise<AccessClaims> {
  const { payload } = await jwtVerify(
    token,
    (header: JWTHeaderParameters) => {
      if (header.jku || header.x5u || header.jwk || header.x5c)
        throw new Error('remote key headers refused');
      const key = keys.find((candidate) => candidate.kid === header.kid);
      if (!key) throw new Error('unknown key id');
      return key.publicKey;
    },
    {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: [ALGORITHM],
      typ: 'at+jwt',
      requiredClaims: ['exp', 'nbf', 'iat'],
    },
  );
  const claims = claimsSchema.parse(payload);
  return {
    subject: claims.sub,
    sessionId: claims.sid,
    roles: claims.roles,
    ...(claims.stu ? { studentId: claims.stu } : {}),
  };
}
