import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { demoRegistrations, demoUuid } from '@registrar/platform';
import { buildPaymentSeedRecords } from './payment.seed.js';

describe('buildPaymentSeedRecords', () => {
  const records = buildPaymentSeedRecords();
  const paid = demoRegistrations().filter((registration) => registration.feeAmount > 0);

  test('holds one payment for each demo registration with a fee, and none for free ones', () => {
    assert.ok(paid.length > 0, 'the demo has registrations with a fee');
    assert.equal(records.length, paid.length);
    assert.deepEqual(
      records.map((r) => r.registration_id),
      paid.map((r) => r.id),
    );
  });

  test('every payment succeeded locally, for the fee, owned by the registering student', () => {
    records.forEach((record, i) => {
      assert.equal(record.status, 'SUCCEEDED');
      assert.equal(record.provider, 'local');
      assert.equal(record.amount, paid[i]!.feeAmount);
      assert.equal(record.student_id, paid[i]!.studentId);
      assert.equal(record.currency, 'GBP');
    });
  });

  test('ids and references derive from the registration id', () => {
    for (const record of records) {
      assert.equal(record.id, demoUuid(`payment:${record.registration_id}`));
      const hex = record.registration_id.replaceAll('-', '').slice(0, 12);
      assert.equal(record.provider_reference, `pi_demo_${hex}`);
      assert.match(record.provider_reference, /^pi_[A-Za-z0-9_]{1,252}$/);
    }
  });

  test('is the same on every start', () => {
    assert.deepEqual(buildPaymentSeedRecords(), records);
  });
});
