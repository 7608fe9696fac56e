import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createEvent } from '@registrar/events';
import { createLogger } from '@registrar/platform';
import type { EntityManager } from 'typeorm';
import { createPaymentCommandHandler } from './payment-command.handler.js';
import { PAYMENT_ERROR_CODES, PaymentError } from './payment-error.js';
import type { PaymentProviders } from './payment-provider.js';

// The handler must refuse before it touches the database or the provider, so stand-ins that fail
// on any use prove it did not.
const untouchable = new Proxy({} as EntityManager, {
  get: () => assert.fail('the database was used'),
});
const noProviders = new Proxy({} as PaymentProviders, {
  get: () => assert.fail('a provider was used'),
});
const handle = createPaymentCommandHandler({
  providers: noProviders,
  logger: createLogger({ service: 'payment-test', level: 'silent' }),
});
const metadata = { producer: 'registration', correlationId: 'c-1' };

describe('the payment command handler', () => {
  test('an event that is not a payment command is refused for good, without touching anything', async () => {
    const event = createEvent(
      'PaymentSucceeded',
      { registrationId: '0b5e0f7c-1d2a-4c3e-9f40-6a7b8c9d0e1f', paymentId: 'p-1' },
      metadata,
    );

    await assert.rejects(handle(event, untouchable), (error: unknown) => {
      assert.ok(error instanceof PaymentError);
      assert.deepEqual([error.code, error.retryable], ['PAYMENT_COMMAND_UNEXPECTED', false]);
      return true;
    });
  });

  test('a payment request whose ids are not UUIDs is refused for good', async () => {
    const event = createEvent(
      'RequestPayment',
      { registrationId: 'reg-1', studentId: 'student-1', amount: 100, currency: 'GBP' },
      metadata,
    );

    await assert.rejects(handle(event, untouchable), {
      code: 'PAYMENT_COMMAND_INVALID',
      retryable: false,
    });
  });

  test('only an unreachable provider or a payment still processing is retried', () => {
    const retried = Object.entries(PAYMENT_ERROR_CODES)
      .filter(([, entry]) => entry.retryable)
      .map(([code]) => code);

    assert.deepEqual(retried, ['PAYMENT_PROVIDER_UNAVAILABLE', 'PAYMENT_NOT_CANCELLABLE']);
  });
});
