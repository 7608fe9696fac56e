import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Creates the payments: one per registration at most. No column can hold card data: the
 * provider reference admits only a PaymentIntent id (`pi_` and letters, digits, underscores),
 * so a card number written there by mistake is refused by the database itself.
 */
export class CreatePayments1764720400000 implements MigrationInterface {
  name = 'CreatePayments1764720400000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE payments (
        id uuid PRIMARY KEY,
        registration_id uuid NOT NULL,
        student_id uuid NOT NULL,
        amount int NOT NULL CHECK (amount >= 0),
        currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        status varchar(20) NOT NULL DEFAULT 'REQUIRES_PAYMENT'
          CHECK (status IN ('REQUIRES_PAYMENT', 'PROCESSING', 'SUCCEEDED', 'FAILED', 'REFUNDED',
            'CANCELLED')),
        provider varchar(20) NOT NULL CHECK (provider IN ('stripe', 'local')),
        provider_reference varchar(255)
          CONSTRAINT payments_reference_is_payment_intent
          CHECK (provider_reference ~ '^pi_[A-Za-z0-9_]{1,252}$'),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT payments_registration_id_key UNIQUE (registration_id)
      )`);
    await runner.query(`CREATE INDEX payments_student_id ON payments (student_id)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE payments`);
  }
}
