import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { PaymentEntity } from './payment.entity.js';
import { toPayment } from './payment.mapper.js';
import { PaymentStatus } from './payment.types.js';

const ROW: PaymentEntity = {
  id: '33333333-3333-5333-8333-333333333333',
  registrationId: '44444444-4444-5444-8444-444444444444',
  studentId: '11111111-1111-5111-8111-111111111111',
  amount: 15_000,
  currency: 'GBP',
  status: 'SUCCEEDED',
  provider: 'local',
  providerReference: 'pi_demo_444444444444',
  createdAt: new Date('2026-01-01T00:00:00Z'),
  updatedAt: new Date('2026-01-02T00:00:00Z'),
};

describe('toPayment', () => {
  test('shows the amount as Money in minor units', () => {
    assert.deepEqual(toPayment(ROW).amount, { amount: 15_000, currency: 'GBP' });
  });

  test('keeps the status, provider, reference and times', () => {
    const payment = toPayment(ROW);
    assert.equal(payment.status, PaymentStatus.SUCCEEDED);
    assert.equal(payment.provider, 'local');
    assert.equal(payment.providerReference, 'pi_demo_444444444444');
    assert.equal(payment.updatedAt.toISOString(), '2026-01-02T00:00:00.000Z');
  });

  test('does not expose the owning student or the registration', () => {
    assert.deepEqual(Object.keys(toPayment(ROW)).sort(), [
      'amount',
      'createdAt',
      'id',
      'provider',
      'providerReference',
      'status',
      'updatedAt',
    ]);
  });
});
