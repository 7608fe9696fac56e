import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createEvent } from '@registrar/events';
import type { EntityManager } from 'typeorm';
import { SEAT_COMMAND_ERROR_CODES, SeatCommandError } from './seat-command-error.js';
import { handleSeatCommand } from './seat-command.handler.js';

// The handler must refuse before it touches the database, so a manager that fails on any use
// proves it did not.
const untouchable = new Proxy({} as EntityManager, {
  get: () => assert.fail('the database was used'),
});

describe('the seat command handler', () => {
  test('an event that is not a seat command is refused for good, without touching the database', async () => {
    const event = createEvent(
      'SeatReleased',
      { registrationId: '0b5e0f7c-1d2a-4c3e-9f40-6a7b8c9d0e1f', moduleCode: 'COMP1001' },
      { producer: 'registration', correlationId: 'c-1' },
    );

    await assert.rejects(handleSeatCommand(event, untouchable), (error: unknown) => {
      assert.ok(error instanceof SeatCommandError);
      assert.equal(error.code, 'SEAT_COMMAND_UNEXPECTED');
      assert.equal(error.retryable, false);
      return true;
    });
  });

  test('a reservation whose registration id is not a UUID is refused for good', async () => {
    const event = createEvent(
      'ReserveSeat',
      { registrationId: 'reg-1', studentId: 'student-1', moduleCode: 'COMP1001' },
      { producer: 'registration', correlationId: 'c-1' },
    );

    await assert.rejects(handleSeatCommand(event, untouchable), {
      code: 'SEAT_COMMAND_INVALID',
      retryable: false,
    });
  });

  test('only a contended ledger is retried; every other seat error is dead-lettered at once', () => {
    const retried = Object.entries(SEAT_COMMAND_ERROR_CODES)
      .filter(([, entry]) => entry.retryable)
      .map(([code]) => code);

    assert.deepEqual(retried, ['SEAT_LEDGER_CONTENDED']);
  });
});
