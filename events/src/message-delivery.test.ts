import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ConsumedMessage } from './event-bus.js';
import {
  MAX_RETRY_BACKOFF_MS,
  computeRetryDelay,
  deliverMessage,
  isRetryableError,
  resolveDeliveryPolicy,
} from './message-delivery.js';
import { createTestLogger } from './test/test-support.js';

const message = {
  topic: 't',
  partition: 0,
  offset: '0',
  key: 'k',
  value: Buffer.from('v'),
};

describe('message delivery', () => {
  test('the policy defaults to five attempts from a 100 ms backoff', () => {
    assert.deepEqual(resolveDeliveryPolicy({}), { maxAttempts: 5, retryBackoffMs: 100 });
    assert.throws(() => resolveDeliveryPolicy({ maxAttempts: 0 }), /maxAttempts/);
    assert.throws(() => resolveDeliveryPolicy({ retryBackoffMs: -1 }), /retryBackoffMs/);
  });

  test('the retry delay doubles from the base and stops at the cap', () => {
    const policy = { maxAttempts: 30, retryBackoffMs: 100 };

    assert.deepEqual(
      [1, 2, 3, 4].map((attempt) => computeRetryDelay(policy, attempt)),
      [100, 200, 400, 800],
    );
    assert.equal(computeRetryDelay(policy, 20), MAX_RETRY_BACKOFF_MS);
  });

  test('only an error that says retryable: false is final', () => {
    assert.equal(isRetryableError(new Error('flaky')), true);
    assert.equal(isRetryableError(Object.assign(new Error('bad'), { retryable: false })), false);
    assert.equal(isRetryableError(Object.assign(new Error('odd'), { retryable: 'no' })), true);
    assert.equal(isRetryableError(undefined), true);
  });

  test('a handler that keeps failing ends as failed after the last attempt', async () => {
    const attempts: number[] = [];
    const outcome = await deliverMessage({
      message,
      handler: async (delivered: ConsumedMessage) => {
        attempts.push(delivered.attempt);
        throw new Error('still down');
      },
      policy: { maxAttempts: 3, retryBackoffMs: 1 },
      signal: new AbortController().signal,
      logger: createTestLogger(),
    });

    assert.equal(outcome.status, 'failed');
    assert.deepEqual(attempts, [1, 2, 3]);
  });

  test('a handler error during shutdown aborts the delivery instead of failing it', async () => {
    const controller = new AbortController();
    const outcome = await deliverMessage({
      message,
      handler: async () => {
        controller.abort();
        throw Object.assign(new Error('pool closed'), { retryable: false });
      },
      policy: { maxAttempts: 3, retryBackoffMs: 1 },
      signal: controller.signal,
      logger: createTestLogger(),
    });

    assert.deepEqual(outcome, { status: 'aborted' });
  });
});
