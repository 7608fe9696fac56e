import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Creates what the registration rules read besides registrations: the modules a student has
 * passed (prerequisites), holds that stop a student registering, and staff overrides of a rule
 * for one registration (who, when, why).
 */
export class CreateRules1764720400000 implements MigrationInterface {
  name = 'CreateRules1764720400000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE completed_modules (
        student_id uuid NOT NULL,
        module_code varchar(12) NOT NULL,
        term varchar(20) NOT NULL,
        passed boolean NOT NULL,
        PRIMARY KEY (student_id, module_code, term)
      )`);
    await runner.query(`
      CREATE TABLE student_holds (
        id uuid PRIMARY KEY,
        student_id uuid NOT NULL,
        kind varchar(20) NOT NULL CHECK (kind IN ('UNPAID_FEES','ADMINISTRATIVE')),
        reason text NOT NULL,
        placed_by varchar(60) NOT NULL,
        placed_at timestamptz NOT NULL DEFAULT now(),
        released_at timestamptz
      )`);
    await runner.query(
      `CREATE INDEX student_holds_active ON student_holds (student_id) WHERE released_at IS NULL`,
    );
    await runner.query(`
      CREATE TABLE registration_overrides (
        registration_id uuid NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
        rule varchar(30) NOT NULL CHECK (rule IN ('PREREQUISITE','TIMETABLE_CLASH','CAPACITY')),
        granted_by varchar(60) NOT NULL,
        reason text NOT NULL,
        granted_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (registration_id, rule)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE registration_overrides`);
    await runner.query(`DROP TABLE student_holds`);
    await runner.query(`DROP TABLE completed_modules`);
  }
}
