import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  DEAD_LETTER_HEADERS,
  MAX_DEAD_LETTER_MESSAGE_LENGTH,
  createDeadLetterMessage,
  describeFailure,
} from './dead-letter.js';
import { EventError } from './event-error.js';

const consumed = {
  topic: 'registration.events',
  partition: 2,
  offset: '41',
  key: 'reg-1',
  value: Buffer.from('{"payload":"private"}'),
  headers: { 'x-correlation-id': 'corr-1' },
};

describe('dead-lettering', () => {
  test('a dead-letter copy keeps the key, bytes and headers and describes the failure', () => {
    const error = new EventError('EVENT_INVALID', 'The payload is invalid.');
    const copy = createDeadLetterMessage(consumed, { error, attempts: 1, groupId: 'saga' });

    assert.equal(copy.key, 'reg-1');
    assert.equal(copy.value, consumed.value);
    assert.equal(copy.headers?.['x-correlation-id'], 'corr-1');
    assert.equal(copy.headers?.[DEAD_LETTER_HEADERS.errorCode], 'EVENT_INVALID');
    assert.equal(copy.headers?.[DEAD_LETTER_HEADERS.errorMessage], 'The payload is invalid.');
    assert.equal(copy.headers?.[DEAD_LETTER_HEADERS.originalTopic], 'registration.events');
    assert.equal(copy.headers?.[DEAD_LETTER_HEADERS.originalPartition], '2');
    assert.equal(copy.headers?.[DEAD_LETTER_HEADERS.originalOffset], '41');
    assert.equal(copy.headers?.[DEAD_LETTER_HEADERS.attempts], '1');
    assert.equal(copy.headers?.[DEAD_LETTER_HEADERS.consumerGroup], 'saga');
  });

  test('a long, multi-line error message is flattened and cut to the header limit', () => {
    const { text } = describeFailure(new Error(`first line\nsecond line ${'x'.repeat(2000)}`));

    assert.equal(text.length, MAX_DEAD_LETTER_MESSAGE_LENGTH);
    assert.ok(text.startsWith('first line second line x'));
    assert.ok(text.endsWith('…'));
  });

  test('an error without a string code is recorded as HANDLER_FAILED', () => {
    assert.deepEqual(describeFailure(new Error('boom')), { code: 'HANDLER_FAILED', text: 'boom' });
    assert.deepEqual(describeFailure('plain string'), {
      code: 'HANDLER_FAILED',
      text: 'plain string',
    });
    assert.equal(
      describeFailure(Object.assign(new Error('x'), { code: 42 })).code,
      'HANDLER_FAILED',
    );
  });
});
