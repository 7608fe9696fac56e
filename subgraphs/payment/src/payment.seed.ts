import { demoRegistrations, demoUuid } from '@registrar/platform';
import type { DataSource } from 'typeorm';

// The demo catalogue charges every fee in pounds (the Module service's default currency).
const DEMO_CURRENCY = 'GBP';

/** One row of the `payments` table as the seed writes it (column names as keys). */
export interface PaymentSeedRecord {
  id: string;
  registration_id: string;
  student_id: string;
  amount: number;
  currency: string;
  status: 'SUCCEEDED';
  provider: 'local';
  provider_reference: string;
}

/**
 * The settled payments of the demo: one SUCCEEDED local payment for each demo registration with
 * a fee. Ids derive from the registration id, so every start computes the same rows.
 */
export function buildPaymentSeedRecords(): PaymentSeedRecord[] {
  return demoRegistrations()
    .filter((registration) => registration.feeAmount > 0)
    .map((registration) => ({
      id: demoUuid(`payment:${registration.id}`),
      registration_id: registration.id,
      student_id: registration.studentId,
      amount: registration.feeAmount,
      currency: DEMO_CURRENCY,
      status: 'SUCCEEDED',
      provider: 'local',
      provider_reference: `pi_demo_${registration.id.replaceAll('-', '').slice(0, 12)}`,
    }));
}

/**
 * Seeds the demo payments once, with their intents at the local provider: existing rows are left
 * as they are, so a second start keeps whatever the demo changed. Returns how many payments were
 * inserted.
 */
export async function seedPayments(dataSource: DataSource): Promise<number> {
  const records = buildPaymentSeedRecords();
  if (records.length === 0) return 0;
  // One statement for every payment: the records travel as a single JSON parameter.
  const inserted: unknown[] = await dataSource.query(
    `INSERT INTO payments (id, registration_id, student_id, amount, currency, status, provider,
       provider_reference)
     SELECT id, registration_id, student_id, amount, currency, status, provider,
       provider_reference
     FROM jsonb_populate_recordset(NULL::payments, $1::jsonb)
     ON CONFLICT DO NOTHING RETURNING id`,
    [JSON.stringify(records)],
  );
  // Their settled intents at the local provider, so that a seeded payment can be refunded.
  await dataSource.query(
    `INSERT INTO local_payment_intents (id, idempotency_key, amount, currency, status)
     SELECT provider_reference, registration_id, amount, currency, 'succeeded'
     FROM jsonb_populate_recordset(NULL::payments, $1::jsonb)
     ON CONFLICT DO NOTHING`,
    [JSON.stringify(records)],
  );
  return inserted.length;
}
