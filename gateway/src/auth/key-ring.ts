import type { JWK } from 'jose';
import { ACCESS_TOKEN_SECONDS, generateSigningKey } from './access-tokens.js';
import type { SigningKey } from './access-tokens.js';

/** The access-token signing keys: one current, and retired ones kept until their tokens expire. */
export interface KeyRing {
  /** The key new tokens are signed with. */
  current(): SigningKey;
  /** Every key a token may still be verified with: the current one and those in overlap. */
  verificationKeys(): SigningKey[];
  /** Makes a fresh key current; the previous one keeps verifying for the overlap window. */
  rotate(next?: SigningKey): Promise<SigningKey>;
  /** The public keys, as published at /.well-known/jwks.json. */
  jwks(): { keys: JWK[] };
}

/** Options of {@link createKeyRing}. */
export interface KeyRingOptions {
  /** How long a retired key still verifies. @default the access-token lifetime plus one minute */
  overlapSeconds?: number;
  now?: () => number;
}

/** Creates a key ring starting with `initial` as the current key. */
export function createKeyRing(initial: SigningKey, options: KeyRingOptions = {}): KeyRing {
  const overlapMs = (options.overlapSeconds ?? ACCESS_TOKEN_SECONDS + 60) * 1000;
  const now = options.now ?? Date.now;
  let current = initial;
  let retired: Array<{ key: SigningKey; retiredAt: number }> = [];
  const inOverlap = () =>
    retired.filter((entry) => now() - entry.retiredAt < overlapMs).map((e) => e.key);

  return {
    current: () => current,
    verificationKeys: () => [current, ...inOverlap()],
    async rotate(next) {
      const key = next ?? (await generateSigningKey());
      retired = [{ key: current, retiredAt: now() }, ...retired].filter(
        (e) => now() - e.retiredAt < overlapMs,
      );
      current = key;
      return key;
    },
    jwks: () => ({ keys: [current, ...inOverlap()].map((key) => key.publicJwk) }),
  };
}
