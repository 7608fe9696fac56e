import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { EVENT_CATALOGUE, createEvent, decodeEvent, parseEvent, topicOf } from './catalogue.js';
import type { RegistrarEvent } from './catalogue.js';
import { createEnvelope, serializeEnvelope } from './envelope.js';
import { EventError } from './event-error.js';
import { TOPICS, deadLetterTopicOf } from './topics.js';

const metadata = { producer: 'registration', correlationId: 'corr-1' };

function rejectsWith(code: string, pattern?: RegExp): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof EventError, 'expected an EventError');
    assert.equal(error.code, code);
    assert.equal(error.retryable, false);
    if (pattern) {
      assert.match(error.message, pattern);
    }
    return true;
  };
}

/** An exhaustive switch: adding an event type without a case here stops the build. */
function summarise(event: RegistrarEvent): string {
  switch (event.type) {
    case 'RegistrationRequested':
      return `${event.payload.studentId} asked for ${event.payload.moduleCode}`;
    case 'RegistrationStatusChanged':
      return `${event.payload.from} → ${event.payload.to}`;
    case 'SeatAvailabilityChanged':
      return `${event.payload.seatsAvailable}/${event.payload.capacity}`;
    case 'ReserveSeat':
    case 'ReleaseSeat':
      return `seat command for ${event.payload.moduleCode}`;
    case 'SeatReserved':
    case 'SeatWaitlisted':
    case 'SeatRefused':
    case 'SeatReleased':
      return `seat answer for ${event.payload.registrationId}`;
    case 'RequestPayment':
    case 'CancelPayment':
    case 'PaymentPending':
    case 'PaymentSucceeded':
    case 'PaymentFailed':
    case 'PaymentCancelled':
      return `payment step for ${event.payload.registrationId}`;
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}

describe('the event catalogue', () => {
  test('createEvent checks the payload, stamps the version and keys by the aggregate id', () => {
    const event = createEvent(
      'RegistrationStatusChanged',
      { registrationId: 'reg-1', from: 'PENDING', to: 'AWAITING_PAYMENT' },
      { ...metadata, causationId: 'evt-0' },
    );

    assert.equal(event.version, EVENT_CATALOGUE.RegistrationStatusChanged.version);
    assert.equal(event.key, 'reg-1');
    assert.equal(event.causationId, 'evt-0');
    assert.equal(summarise(event), 'PENDING → AWAITING_PAYMENT');
  });

  test('seat events are keyed by module code and published on the module topic', () => {
    const payload = { moduleCode: 'CS101', capacity: 30, seatsAvailable: 4 };
    const event = createEvent('SeatAvailabilityChanged', payload, metadata);

    assert.equal(event.key, 'CS101');
    assert.equal(topicOf(event.type), TOPICS.module);
    assert.equal(topicOf('RegistrationRequested'), TOPICS.registration);
  });

  test('createEvent refuses a payload that breaks its schema', () => {
    assert.throws(
      () =>
        createEvent(
          'RegistrationStatusChanged',
          { registrationId: 'reg-1', from: 'PENDING', to: 'SHREDDED' as 'CONFIRMED' },
          metadata,
        ),
      rejectsWith('EVENT_INVALID', /to:/),
    );
  });

  test('more seats available than the capacity is an invalid payload', () => {
    const payload = { moduleCode: 'CS101', capacity: 3, seatsAvailable: 4 };

    assert.throws(
      () => createEvent('SeatAvailabilityChanged', payload, metadata),
      rejectsWith('EVENT_INVALID', /seatsAvailable/),
    );
  });

  test('decodeEvent turns bytes back into the same typed event', () => {
    const payload = { registrationId: 'reg-2', studentId: 'stu-2', moduleCode: 'MA201' };
    const event = createEvent('RegistrationRequested', payload, metadata);

    const decoded = decodeEvent(serializeEnvelope(event));

    assert.deepEqual(decoded, event);
    assert.equal(summarise(decoded), 'stu-2 asked for MA201');
  });

  test('an unknown event type is refused as EVENT_UNKNOWN_TYPE', () => {
    const envelope = createEnvelope({
      ...metadata,
      type: 'ModuleRenamed',
      version: 1,
      key: 'k',
      payload: {},
    });

    assert.throws(() => parseEvent(envelope), rejectsWith('EVENT_UNKNOWN_TYPE', /ModuleRenamed/));
  });

  test('a version the consumer does not read is refused as EVENT_UNSUPPORTED_VERSION', () => {
    const envelope = createEnvelope({
      ...metadata,
      type: 'SeatAvailabilityChanged',
      version: 2,
      key: 'CS101',
      payload: { moduleCode: 'CS101', capacity: 30, seatsAvailable: 4 },
    });

    assert.throws(() => parseEvent(envelope), rejectsWith('EVENT_UNSUPPORTED_VERSION'));
  });

  test('an invalid payload is refused with a message that names the field but not its value', () => {
    const envelope = createEnvelope({
      ...metadata,
      type: 'RegistrationRequested',
      version: 1,
      key: 'reg-3',
      payload: { registrationId: 'reg-3', studentId: 'stu-secret-77', moduleCode: 12345 },
    });

    assert.throws(
      () => parseEvent(envelope),
      (error: unknown) =>
        rejectsWith('EVENT_INVALID', /moduleCode/)(error) &&
        !String(error).includes('12345') &&
        !String(error).includes('stu-secret-77'),
    );
  });

  test('the dead-letter topic of a topic is its name with .dlq appended', () => {
    assert.equal(deadLetterTopicOf(TOPICS.registration), 'registration.events.dlq');
  });
});
