import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { DataSource } from 'typeorm';

/** A verified partner key. */
export interface ApiKeyIdentity {
  keyId: string;
  partner: string;
}

/** Partner API keys: third parties (timetabling, finance systems) authenticate with these. */
export interface ApiKeyStore {
  /** Creates a key and returns its secret, which is shown once and never stored. */
  create(partner: string, createdBy: string): Promise<{ keyId: string; apiKey: string }>;
  /** Returns the partner of a valid, unrevoked key, or undefined. */
  verify(apiKey: string): Promise<ApiKeyIdentity | undefined>;
  /** Revokes a key; returns whether it was live. */
  revoke(keyId: string): Promise<boolean>;
}

// Keys read `rk_<key id>_<secret>`: the id finds the row, the secret's SHA-256 is compared in
// constant time. 256 random bits make a slow hash unnecessary, unlike a password.
const KEY_FORMAT = /^rk_([0-9a-f-]{36})_([A-Za-z0-9_-]{43})$/;

/** Creates the key store over the gateway's identity database. */
export function createApiKeyStore(dataSource: DataSource): ApiKeyStore {
  return {
    async create(partner, createdBy) {
      const keyId = randomUUID();
      const secret = randomBytes(32).toString('base64url');
      await dataSource.query(
        `INSERT INTO api_keys (id, partner, secret_hash, created_by) VALUES ($1, $2, $3, $4)`,
        [keyId, partner, hashSecret(secret), createdBy],
      );
      return { keyId, apiKey: `rk_${keyId}_${secret}` };
    },
    async verify(apiKey) {
      const [, keyId, secret] = KEY_FORMAT.exec(apiKey) ?? [];
      if (!keyId || !secret) return undefined;
      const [row] = (await dataSource.query(
        `SELECT partner, secret_hash AS hash FROM api_keys WHERE id = $1 AND revoked_at IS NULL`,
        [keyId],
      )) as Array<{ partner: string; hash: string }>;
      if (!row) return undefined;
      const matches = timingSafeEqual(
        Buffer.from(row.hash, 'hex'),
        Buffer.from(hashSecret(secret), 'hex'),
      );
      return matches ? { keyId, partner: row.partner } : undefined;
    },
    async revoke(keyId) {
      const [, count] = (await dataSource.query(
        `UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`,
        [keyId],
      )) as [unknown, number];
      return count === 1;
    },
  };
}

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
