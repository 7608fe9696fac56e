import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Creates the sign-in accounts. Usernames are unique whatever their letter case. */
export class CreateAccounts1764730000000 implements MigrationInterface {
  name = 'CreateAccounts1764730000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE accounts (
        id uuid PRIMARY KEY,
        username varchar(64) NOT NULL CHECK (username ~ '^[a-z0-9][a-z0-9._-]{1,63}$'),
        password_hash varchar(200) NOT NULL,
        roles text[] NOT NULL CHECK (roles <@ ARRAY['student','staff','finance','admin','partner']
          AND cardinality(roles) > 0),
        student_id uuid UNIQUE,
        disabled boolean NOT NULL DEFAULT false,
        password_changed_at timestamptz NOT NULL DEFAULT now(),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE UNIQUE INDEX accounts_username ON accounts (lower(username))`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE accounts`);
  }
}
