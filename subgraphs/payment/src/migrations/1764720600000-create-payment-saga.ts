import { OUTBOX_DDL } from '@registrar/events';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Adds what the Payment service needs to take part in the registration saga: the outbox and its
 * record of handled commands, each payment's status history, the Stripe events already applied
 * (so a redelivered webhook changes nothing), and the local provider's payment intents. No new
 * column can hold card data: the client secret admits only Stripe's `pi_…_secret_…` shape.
 */
export class CreatePaymentSaga1764720600000 implements MigrationInterface {
  name = 'CreatePaymentSaga1764720600000';

  async up(runner: QueryRunner): Promise<void> {
    for (const statement of OUTBOX_DDL) await runner.query(statement);
    await runner.query(`
      ALTER TABLE payments
        ADD COLUMN client_secret varchar(255)
          CONSTRAINT payments_client_secret_shape
          CHECK (client_secret ~ '^pi_[A-Za-z0-9_]{1,120}_secret_[A-Za-z0-9]{1,120}$'),
        ADD COLUMN failure_reason varchar(100)`);
    // Reconciliation looks only for payments still waiting on the provider.
    await runner.query(`
      CREATE INDEX payments_unsettled ON payments (updated_at)
        WHERE status IN ('REQUIRES_PAYMENT', 'PROCESSING')`);
    await runner.query(`
      CREATE UNIQUE INDEX payments_provider_reference ON payments (provider_reference)
        WHERE provider_reference IS NOT NULL`);
    await runner.query(`
      CREATE TABLE payment_history (
        id bigserial PRIMARY KEY,
        payment_id uuid NOT NULL REFERENCES payments (id),
        from_status varchar(20),
        to_status varchar(20) NOT NULL,
        cause varchar(100) NOT NULL,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX payment_history_payment ON payment_history (payment_id, id)`);
    await runner.query(`
      CREATE TABLE stripe_events (
        id varchar(255) PRIMARY KEY,
        type varchar(100) NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Stripe's statuses and its last_payment_error.code, so the local provider answers as
    // Stripe's test mode would. The demo's seeded payments have intents here too (pi_demo_…), so
    // dropping a seeded paid registration can be refunded.
    await runner.query(`
      CREATE TABLE local_payment_intents (
        id varchar(64) PRIMARY KEY CHECK (id ~ '^pi_(local_[a-f0-9]{24}|demo_[a-f0-9]{12})$'),
        idempotency_key varchar(255) NOT NULL UNIQUE,
        amount int NOT NULL CHECK (amount > 0),
        currency char(3) NOT NULL,
        status varchar(30) NOT NULL CHECK (status IN ('requires_payment_method', 'processing',
          'succeeded', 'canceled')),
        last_error_code varchar(100),
        refunded boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE local_payment_intents`);
    await runner.query(`DROP TABLE stripe_events`);
    await runner.query(`DROP TABLE payment_history`);
    await runner.query(`DROP INDEX payments_provider_reference`);
    await runner.query(`DROP INDEX payments_unsettled`);
    await runner.query(
      `ALTER TABLE payments DROP COLUMN failure_reason, DROP COLUMN client_secret`,
    );
    await runner.query(`DROP TABLE processed_events`);
    await runner.query(`DROP TABLE outbox`);
  }
}
