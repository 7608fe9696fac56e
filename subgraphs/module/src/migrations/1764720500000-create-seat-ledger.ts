import { OUTBOX_DDL } from '@registrar/events';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Creates the seat ledger (who holds a seat, who waits for one) and the outbox with its record of
 * handled commands, so that a seat change, its events and "this command was handled" commit in
 * one transaction.
 */
export class CreateSeatLedger1764720500000 implements MigrationInterface {
  name = 'CreateSeatLedger1764720500000';

  async up(runner: QueryRunner): Promise<void> {
    // student_id is null only for a release that arrived before its reservation (see
    // seat-ledger.ts): the row is then a tombstone that keeps the late reservation from taking a
    // seat.
    await runner.query(`
      CREATE TABLE seat_holds (
        registration_id uuid PRIMARY KEY,
        module_code varchar(32) NOT NULL,
        student_id varchar(100),
        status varchar(10) NOT NULL CHECK (status IN ('HELD', 'RELEASED')),
        created_at timestamptz NOT NULL DEFAULT now(),
        released_at timestamptz,
        CONSTRAINT seat_holds_released_when_released
          CHECK ((status = 'RELEASED') = (released_at IS NOT NULL)),
        CONSTRAINT seat_holds_held_has_student CHECK (status = 'RELEASED' OR student_id IS NOT NULL)
      )`);
    await runner.query(
      `CREATE INDEX seat_holds_module_held ON seat_holds (module_code) WHERE status = 'HELD'`,
    );
    // The bigserial id is the waitlist's order: first come, first served.
    await runner.query(`
      CREATE TABLE waitlist (
        id bigserial PRIMARY KEY,
        registration_id uuid NOT NULL UNIQUE,
        module_code varchar(32) NOT NULL,
        student_id varchar(100) NOT NULL,
        status varchar(10) NOT NULL CHECK (status IN ('WAITING', 'PROMOTED', 'REMOVED')),
        created_at timestamptz NOT NULL DEFAULT now(),
        left_at timestamptz,
        CONSTRAINT waitlist_left_when_not_waiting CHECK ((status = 'WAITING') = (left_at IS NULL))
      )`);
    await runner.query(
      `CREATE INDEX waitlist_waiting ON waitlist (module_code, id) WHERE status = 'WAITING'`,
    );
    for (const statement of OUTBOX_DDL) await runner.query(statement);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE IF EXISTS processed_events`);
    await runner.query(`DROP TABLE IF EXISTS outbox`);
    await runner.query(`DROP TABLE waitlist`);
    await runner.query(`DROP TABLE seat_holds`);
  }
}
