import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type Stripe from 'stripe';
import { outcomeOfTestCard } from './local-provider.js';
import { toProviderIntent } from './stripe-provider.js';

function intent(
  status: Stripe.PaymentIntent.Status,
  lastError: Partial<Stripe.PaymentIntent.LastPaymentError> | null = null,
): Stripe.PaymentIntent {
  return {
    id: 'pi_123',
    object: 'payment_intent',
    status,
    client_secret: 'pi_123_secret_abc',
    last_payment_error: lastError,
  } as Stripe.PaymentIntent;
}

describe('reading a Stripe PaymentIntent', () => {
  test('succeeded, canceled and processing keep their meaning; a manual capture counts as processing', () => {
    assert.equal(toProviderIntent(intent('succeeded')).status, 'succeeded');
    assert.equal(toProviderIntent(intent('canceled')).status, 'canceled');
    assert.equal(toProviderIntent(intent('processing')).status, 'processing');
    assert.equal(toProviderIntent(intent('requires_capture')).status, 'processing');
  });

  test('an intent nobody has paid yet waits for payment', () => {
    for (const status of [
      'requires_payment_method',
      'requires_confirmation',
      'requires_action',
    ] as const) {
      assert.equal(toProviderIntent(intent(status)).status, 'requires_payment', status);
    }
  });

  test('a declined attempt (a coded last_payment_error) is a failure with that code', () => {
    const read = toProviderIntent(
      intent('requires_payment_method', { type: 'card_error', code: 'card_declined' }),
    );
    assert.deepEqual([read.status, read.failureCode], ['failed', 'card_declined']);
  });

  test('an uncoded last_payment_error (as stripe-mock returns) is not a failure', () => {
    const read = toProviderIntent(intent('requires_payment_method', { type: 'idempotency_error' }));
    assert.deepEqual([read.status, read.failureCode], ['requires_payment', null]);
  });

  test('keeps the reference and the client secret', () => {
    const read = toProviderIntent(intent('requires_payment_method'));
    assert.deepEqual([read.reference, read.clientSecret], ['pi_123', 'pi_123_secret_abc']);
  });
});

describe('the local test cards', () => {
  test('4242 4242 4242 4242 succeeds and 4000 0000 0000 0002 is declined, however spaced', () => {
    assert.equal(outcomeOfTestCard('4242424242424242'), 'succeeded');
    assert.equal(outcomeOfTestCard('4242 4242 4242 4242'), 'succeeded');
    assert.equal(outcomeOfTestCard('4000-0000-0000-0002'), 'card_declined');
  });

  test('any other number has no outcome', () => {
    for (const number of ['5555555555554444', '4242', '', 'constructor', '__proto__']) {
      assert.equal(outcomeOfTestCard(number), undefined, number);
    }
  });
});
