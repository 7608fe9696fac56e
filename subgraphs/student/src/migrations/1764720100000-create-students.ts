import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Creates the student records. Student numbers and e-mail addresses are unique (e-mail without
 * regard to case, since mail systems treat `A@x` and `a@x` as one mailbox).
 */
export class CreateStudents1764720100000 implements MigrationInterface {
  name = 'CreateStudents1764720100000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE students (
        id uuid PRIMARY KEY,
        student_number varchar(12) NOT NULL CHECK (student_number ~ '^s[0-9]{4,8}$'),
        given_name varchar(100) NOT NULL CHECK (length(trim(given_name)) > 0),
        family_name varchar(100) NOT NULL CHECK (length(trim(family_name)) > 0),
        email varchar(254) NOT NULL CHECK (position('@' in email) > 1),
        date_of_birth date NOT NULL,
        programme varchar(200) NOT NULL,
        year_of_study int NOT NULL CHECK (year_of_study BETWEEN 1 AND 7),
        status varchar(12) NOT NULL DEFAULT 'ACTIVE'
          CHECK (status IN ('ACTIVE', 'SUSPENDED', 'WITHDRAWN', 'GRADUATED')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT students_student_number_key UNIQUE (student_number)
      )`);
    await runner.query(`CREATE UNIQUE INDEX students_email_key ON students (lower(email))`);
    await runner.query(`CREATE INDEX students_family_name ON students (lower(family_name))`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE students`);
  }
}
