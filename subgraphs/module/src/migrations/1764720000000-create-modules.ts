import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Creates the module catalogue. Seats can never exceed capacity, whatever the caller does. */
export class CreateModules1764720000000 implements MigrationInterface {
  name = 'CreateModules1764720000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE modules (
        code varchar(12) PRIMARY KEY CHECK (code ~ '^[A-Z]{2,5}[0-9]{4}$'),
        title varchar(200) NOT NULL,
        description text NOT NULL,
        department varchar(100) NOT NULL,
        credits int NOT NULL CHECK (credits BETWEEN 1 AND 120),
        term varchar(20) NOT NULL,
        capacity int NOT NULL CHECK (capacity >= 0),
        seats_taken int NOT NULL DEFAULT 0,
        fee_amount int NOT NULL DEFAULT 0 CHECK (fee_amount >= 0),
        fee_currency char(3) NOT NULL DEFAULT 'GBP',
        timetable jsonb NOT NULL DEFAULT '[]',
        prerequisites text[] NOT NULL DEFAULT '{}',
        registration_opens_at timestamptz NOT NULL,
        registration_closes_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT modules_seats_within_capacity CHECK (seats_taken BETWEEN 0 AND capacity),
        CONSTRAINT modules_window_ordered CHECK (registration_opens_at < registration_closes_at)
      )`);
    await runner.query(`CREATE INDEX modules_term_code ON modules (term, code)`);
    await runner.query(`CREATE INDEX modules_department ON modules (department)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE modules`);
  }
}
