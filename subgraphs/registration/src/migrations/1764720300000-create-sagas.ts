import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Creates the registration saga's persisted state: where each registration's saga stands, when
 * its current step times out, and every step it took (so staff can see why one is stuck).
 */
export class CreateSagas1764720300000 implements MigrationInterface {
  name = 'CreateSagas1764720300000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE registration_sagas (
        registration_id uuid PRIMARY KEY REFERENCES registrations (id) ON DELETE CASCADE,
        step varchar(30) NOT NULL CHECK (step IN
          ('RESERVING_SEAT','WAITLISTED','AWAITING_PAYMENT','COMPLETED','COMPENSATING','FAILED')),
        attempts int NOT NULL DEFAULT 0,
        deadline timestamptz,
        fee_amount int,
        currency char(3),
        payment_id uuid,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(
      `CREATE INDEX registration_sagas_due ON registration_sagas (deadline) WHERE deadline IS NOT NULL`,
    );
    await runner.query(`
      CREATE TABLE saga_steps (
        id bigserial PRIMARY KEY,
        registration_id uuid NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
        step varchar(30) NOT NULL,
        cause varchar(60) NOT NULL,
        note text,
        occurred_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX saga_steps_registration ON saga_steps (registration_id, id)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE saga_steps`);
    await runner.query(`DROP TABLE registration_sagas`);
  }
}
