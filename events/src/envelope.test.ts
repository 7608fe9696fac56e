import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  EVENT_HEADERS,
  createEnvelope,
  deserializeEnvelope,
  serializeEnvelope,
  toBusMessage,
} from './envelope.js';
import { EventError } from './event-error.js';

const input = {
  type: 'SomethingHappened',
  version: 2,
  payload: { answer: 42 },
  correlationId: 'corr-1',
  producer: 'registration',
  key: 'reg-1',
};

function assertEventError(code: string): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof EventError);
    assert.equal(error.code, code);
    assert.equal(error.retryable, false);
    return true;
  };
}

describe('event envelopes', () => {
  test('createEnvelope fills in a UUID and the current time', () => {
    const before = Date.now();
    const envelope = createEnvelope(input);

    assert.match(
      envelope.id,
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    assert.ok(Date.parse(envelope.time) >= before - 1);
    assert.equal(envelope.causationId, undefined);
    assert.equal('causationId' in envelope, false);
  });

  test('createEnvelope keeps an id and time given by the caller', () => {
    const id = '0b0e7f36-8f1e-4d55-9c1b-7b1b1c7a5d10';
    const envelope = createEnvelope({ ...input, id, time: '2026-01-05T09:00:00.000Z' });

    assert.equal(envelope.id, id);
    assert.equal(envelope.time, '2026-01-05T09:00:00.000Z');
  });

  test('createEnvelope rejects a version that is not a positive integer', () => {
    assert.throws(
      () => createEnvelope({ ...input, version: 0 }),
      assertEventError('EVENT_MALFORMED'),
    );
  });

  test('an envelope survives serialisation to bytes and back', () => {
    const envelope = createEnvelope({ ...input, causationId: 'cause-1' });

    assert.deepEqual(deserializeEnvelope(serializeEnvelope(envelope)), envelope);
  });

  test('bytes that are not JSON are rejected as EVENT_MALFORMED', () => {
    assert.throws(
      () => deserializeEnvelope(Buffer.from('{oops')),
      assertEventError('EVENT_MALFORMED'),
    );
  });

  test('JSON without a payload is rejected and the message names the missing field', () => {
    const { payload: _omitted, ...withoutPayload } = createEnvelope(input);

    assert.throws(
      () => deserializeEnvelope(Buffer.from(JSON.stringify(withoutPayload))),
      (error: unknown) =>
        assertEventError('EVENT_MALFORMED')(error) && /payload/.test(String(error)),
    );
  });

  test('toBusMessage keys the message by the envelope key and adds tracing headers', () => {
    const envelope = createEnvelope(input);
    const message = toBusMessage(envelope);

    assert.equal(message.key, 'reg-1');
    assert.deepEqual(deserializeEnvelope(message.value), envelope);
    assert.deepEqual(message.headers, {
      [EVENT_HEADERS.id]: envelope.id,
      [EVENT_HEADERS.type]: 'SomethingHappened',
      [EVENT_HEADERS.correlationId]: 'corr-1',
    });
  });
});
