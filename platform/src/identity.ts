import { SignJWT, jwtVerify, generateKeyPair, importPKCS8, importSPKI } from 'jose';
import type { CryptoKey, KeyObject } from 'jose';
import { z } from 'zod';

/** The roles of the system, from the least to the most trusted. */
export const ROLES = ['student', 'partner', 'finance', 'staff', 'admin'] as const;
/** One of {@link ROLES}. */
export type Role = (typeof ROLES)[number];

/** Who a request acts for, as the gateway verified it. */
export type Viewer =
  | { kind: 'anonymous' }
  | { kind: 'user'; subject: string; roles: Role[]; studentId?: string; sessionId: string };

/** The request of a caller without a session. */
export const ANONYMOUS: Viewer = { kind: 'anonymous' };

/** The HTTP header that carries the gateway-signed identity to the subgraphs. */
export const IDENTITY_HEADER = 'x-registrar-identity';

const ISSUER = 'registrar-gateway';
const AUDIENCE = 'registrar-subgraphs';
const ALGORITHM = 'ES256';
// Identity tokens live only as long as one federated request may plausibly take.
const LIFETIME_SECONDS = 60;

type Key = CryptoKey | KeyObject;

/** The key pair the gateway signs identity tokens with; subgraphs hold only the public half. */
export interface IdentityKeys {
  privateKey: Key;
  publicKey: Key;
}

/** Generates a fresh identity key pair (the embedded default makes one per start). */
export async function generateIdentityKeys(): Promise<IdentityKeys> {
  return generateKeyPair(ALGORITHM, { extractable: true });
}

/** Imports identity keys from PEM text (PKCS#8 private, SPKI public). */
export async function importIdentityKeys(
  privatePem: string,
  publicPem: string,
): Promise<IdentityKeys> {
  return {
    privateKey: await importPKCS8(privatePem, ALGORITHM),
    publicKey: await importSPKI(publicPem, ALGORITHM),
  };
}

/** Imports only the public half, as a subgraph does. */
export async function importIdentityPublicKey(publicPem: string): Promise<Key> {
  return importSPKI(publicPem, ALGORITHM);
}

/** Signs the viewer of one request for the subgraphs. */
export async function signIdentity(viewer: Viewer, privateKey: Key): Promise<string> {
  const claims =
    viewer.kind === 'user'
      ? { roles: viewer.roles, sid: viewer.sessionId, stu: viewer.studentId }
      : {};
  return new SignJWT({ ...claims, anon: viewer.kind === 'anonymous' })
    .setProtectedHeader({ alg: ALGORITHM, typ: 'registrar-identity+jwt' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(viewer.kind === 'user' ? viewer.subject : 'anonymous')
    .setIssuedAt()
    .setExpirationTime(`${LIFETIME_SECONDS}s`)
    .sign(privateKey);
}

const claimsSchema = z.object({
  sub: z.string(),
  anon: z.boolean(),
  roles: z.array(z.enum(ROLES)).optional(),
  sid: z.string().optional(),
  stu: z.string().optional(),
});

/**
 * Verifies an identity token from the gateway and returns its viewer. Throws when the token is
 * missing, forged, expired, or signed with any algorithm but ES256.
 */
export async function verifyIdentity(token: string, publicKey: Key): Promise<Viewer> {
  const { payload } = await jwtVerify(token, publicKey, {
    issuer: ISSUER,
    audience: AUDIENCE,
    algorithms: [ALGORITHM],
    maxTokenAge: LIFETIME_SECONDS,
  });
  const claims = claimsSchema.parse(payload);
  if (claims.anon || !claims.sid) return ANONYMOUS;
  return {
    kind: 'user',
    subject: claims.sub,
    roles: claims.roles ?? [],
    sessionId: claims.sid,
    ...(claims.stu ? { studentId: claims.stu } : {}),
  };
}

/** Tells whether the viewer holds any of the roles. */
export function hasRole(viewer: Viewer, ...roles: Role[]): boolean {
  return viewer.kind === 'user' && viewer.roles.some((role) => roles.includes(role));
}
