import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Creates partner API keys; only a hash of each secret is kept. */
export class CreateApiKeys1764730100000 implements MigrationInterface {
  name = 'CreateApiKeys1764730100000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY,
        partner varchar(64) NOT NULL CHECK (partner ~ '^[a-z0-9][a-z0-9-]{1,63}$'),
        secret_hash char(64) NOT NULL,
        created_by varchar(64) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE api_keys`);
  }
}
