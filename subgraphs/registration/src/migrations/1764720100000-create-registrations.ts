import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Creates registrations and their append-only history. A partial unique index makes a second
 * active registration of one student on one module impossible, even under concurrent requests.
 */
export class CreateRegistrations1764720100000 implements MigrationInterface {
  name = 'CreateRegistrations1764720100000';

  async up(runner: QueryRunner): Promise<void> {
    const statuses = `'PENDING','WAITLISTED','AWAITING_PAYMENT','CONFIRMED','CANCELLED','DROPPED','FAILED'`;
    await runner.query(`
      CREATE TABLE registrations (
        id uuid PRIMARY KEY,
        student_id uuid NOT NULL,
        module_code varchar(12) NOT NULL,
        term varchar(20) NOT NULL,
        status varchar(20) NOT NULL CHECK (status IN (${statuses})),
        reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX registrations_student ON registrations (student_id)`);
    await runner.query(
      `CREATE INDEX registrations_module ON registrations (module_code, created_at)`,
    );
    await runner.query(`
      CREATE UNIQUE INDEX registrations_one_active_per_module ON registrations (student_id, module_code)
      WHERE status IN ('PENDING','WAITLISTED','AWAITING_PAYMENT','CONFIRMED')`);
    await runner.query(`
      CREATE TABLE registration_history (
        id bigserial PRIMARY KEY,
        registration_id uuid NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
        from_status varchar(20) CHECK (from_status IN (${statuses})),
        to_status varchar(20) NOT NULL CHECK (to_status IN (${statuses})),
        reason text,
        actor varchar(60) NOT NULL,
        occurred_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(
      `CREATE INDEX registration_history_registration ON registration_history (registration_id, id)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE registration_history`);
    await runner.query(`DROP TABLE registrations`);
  }
}
