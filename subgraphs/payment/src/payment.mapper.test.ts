import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ANONYMOUS } from '@registrar/platform';
import type { Viewer } from '@registrar/platform';
import { createConfirmationTokens } from './confirmation-token.js';
import type { PaymentEntity } from './payment.entity.js';
import { toPayment } from './payment.mapper.js';
import { PaymentStatus } from './payment.types.js';

const OWNER_ID = '11111111-1111-5111-8111-111111111111';
const ROW: PaymentEntity = {
  id: '33333333-3333-5333-8333-333333333333',
  registrationId: '44444444-4444-5444-8444-444444444444',
  studentId: OWNER_ID,
  amount: 15_000,
  currency: 'GBP',
  status: 'SUCCEEDED',
  provider: 'local',
  providerReference: 'pi_demo_444444444444',
  clientSecret: null,
  failureReason: null,
  createdAt: new Date('2026-01-01T00:00:00Z'),
  updatedAt: new Date('2026-01-02T00:00:00Z'),
};
const WAITING_ON_STRIPE: PaymentEntity = {
  ...ROW,
  status: 'REQUIRES_PAYMENT',
  provider: 'stripe',
  providerReference: 'pi_3Mtw1',
  clientSecret: 'pi_3Mtw1_secret_abc',
};
const owner: Viewer = {
  kind: 'user',
  subject: 's0001',
  roles: ['student'],
  sessionId: 's',
  studentId: OWNER_ID,
};
const finance: Viewer = { kind: 'user', subject: 'finance1', roles: ['finance'], sessionId: 'f' };
const tokens = createConfirmationTokens();

describe('toPayment', () => {
  test('shows the amount as Money in minor units', () => {
    assert.deepEqual(toPayment(ROW, owner, tokens).amount, { amount: 15_000, currency: 'GBP' });
  });

  test('keeps the status, provider, reference and times', () => {
    const payment = toPayment(ROW, finance, undefined);
    assert.equal(payment.status, PaymentStatus.SUCCEEDED);
    assert.equal(payment.provider, 'local');
    assert.equal(payment.providerReference, 'pi_demo_444444444444');
    assert.equal(payment.updatedAt.toISOString(), '2026-01-02T00:00:00.000Z');
  });

  test('does not expose the owning student or the registration', () => {
    assert.deepEqual(Object.keys(toPayment(ROW, owner, tokens)).sort(), [
      'amount',
      'clientSecret',
      'confirmationToken',
      'createdAt',
      'id',
      'provider',
      'providerReference',
      'status',
      'updatedAt',
    ]);
  });

  test('gives the client secret of a payment waiting on Stripe to its owner only', () => {
    assert.equal(
      toPayment(WAITING_ON_STRIPE, owner, undefined).clientSecret,
      'pi_3Mtw1_secret_abc',
    );
    assert.equal(toPayment(WAITING_ON_STRIPE, finance, undefined).clientSecret, null);
    assert.equal(toPayment(WAITING_ON_STRIPE, ANONYMOUS, undefined).clientSecret, null);
  });

  test('offers no means to pay once the payment has left REQUIRES_PAYMENT', () => {
    const paid = toPayment({ ...WAITING_ON_STRIPE, status: 'SUCCEEDED' }, owner, tokens);
    assert.deepEqual([paid.clientSecret, paid.confirmationToken], [null, null]);
  });

  test('issues a confirmation token for a waiting local payment to its owner, bound to that payment', () => {
    const waiting: PaymentEntity = { ...ROW, status: 'REQUIRES_PAYMENT' };
    const token = toPayment(waiting, owner, tokens).confirmationToken;
    assert.ok(token);
    assert.equal(tokens.verify(token, ROW.id), true);
    assert.equal(tokens.verify(token, ROW.registrationId), false);
    assert.equal(toPayment(waiting, finance, tokens).confirmationToken, null);
    assert.equal(toPayment(WAITING_ON_STRIPE, owner, tokens).confirmationToken, null);
  });
});
