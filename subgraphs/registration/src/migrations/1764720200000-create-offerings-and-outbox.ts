import { OUTBOX_DDL } from '@registrar/events';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Adds the Registration service's own copy of what it needs to know about each module offering
 * (term, window, credits, timetable, prerequisites, fee), so that registration rules are checked
 * inside one transaction without calling the Module service; the transactional outbox that
 * carries its events to the bus; and the record of the events it has handled.
 */
export class CreateOfferingsAndOutbox1764720200000 implements MigrationInterface {
  name = 'CreateOfferingsAndOutbox1764720200000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE module_offerings (
        code varchar(12) PRIMARY KEY,
        term varchar(20) NOT NULL,
        credits int NOT NULL,
        fee_amount int NOT NULL DEFAULT 0,
        timetable jsonb NOT NULL DEFAULT '[]',
        prerequisites text[] NOT NULL DEFAULT '{}',
        registration_opens_at timestamptz NOT NULL,
        registration_closes_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    for (const statement of OUTBOX_DDL) await runner.query(statement);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE processed_events`);
    await runner.query(`DROP TABLE outbox`);
    await runner.query(`DROP TABLE module_offerings`);
  }
}
