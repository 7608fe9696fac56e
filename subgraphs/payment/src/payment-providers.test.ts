import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError } from '@registrar/platform';
import { DEV_WEBHOOK_SECRET, selectPaymentProvider } from './payment-providers.js';

describe('selectPaymentProvider', () => {
  test('without a Stripe key the embedded default uses the local provider', () => {
    assert.deepEqual(selectPaymentProvider({}), { kind: 'local' });
  });

  test('a Stripe key selects Stripe, at the given API base, with the development webhook secret by default', () => {
    assert.deepEqual(
      selectPaymentProvider({
        STRIPE_SECRET_KEY: 'sk_test_123',
        STRIPE_API_BASE: 'http://127.0.0.1:12111',
      }),
      {
        kind: 'stripe',
        secretKey: 'sk_test_123',
        apiBase: 'http://127.0.0.1:12111',
        webhookSecret: DEV_WEBHOOK_SECRET,
      },
    );
  });

  test('PAYMENT_PROVIDER=local wins over a Stripe key', () => {
    assert.deepEqual(
      selectPaymentProvider({ PAYMENT_PROVIDER: 'local', STRIPE_SECRET_KEY: 'sk_test_123' }),
      { kind: 'local' },
    );
  });

  test('PAYMENT_PROVIDER=stripe without a key stops the start, naming the variable', () => {
    assert.throws(
      () => selectPaymentProvider({ PAYMENT_PROVIDER: 'stripe' }),
      (error: Error) => error instanceof ConfigError && /STRIPE_SECRET_KEY/.test(error.message),
    );
  });

  test('a live key refuses the development webhook secret', () => {
    assert.throws(
      () => selectPaymentProvider({ STRIPE_SECRET_KEY: 'sk_live_abc' }),
      (error: Error) => error instanceof ConfigError && /STRIPE_WEBHOOK_SECRET/.test(error.message),
    );
    assert.equal(
      selectPaymentProvider({ STRIPE_SECRET_KEY: 'sk_live_abc', STRIPE_WEBHOOK_SECRET: 'whsec_x' })
        .kind,
      'stripe',
    );
  });
});
