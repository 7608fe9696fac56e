import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { TestContext } from 'node:test';
import { DEAD_LETTER_HEADERS, TOPICS, deadLetterTopicOf, handleOnce } from '@registrar/events';
import type { BusMessage, RegistrarEvent } from '@registrar/events';
import { handleSeatCommand } from '../seat-command.handler.js';
import { findWaitlistPositions } from '../waitlist.js';
import {
  MODULE_DATABASE_URL,
  answersAll,
  skipWithoutDatabase,
  startSeatHarness,
} from './seat-harness.js';
import type { SeatHarness } from './seat-harness.js';
import {
  eventsOfType,
  insertModule,
  readSeats,
  releaseSeatCommand,
  reserveSeatCommand,
  uniqueModuleCode,
  waitUntil,
} from './seat-test-support.js';

const idOf = (command: RegistrarEvent) =>
  (command.payload as { registrationId: string }).registrationId;

describe('the seat ledger', () => {
  let harness: SeatHarness | undefined;
  before(async () => {
    if (MODULE_DATABASE_URL) harness = await startSeatHarness(MODULE_DATABASE_URL);
  });
  after(() => harness?.stop());
  const use = (t: TestContext) => harness ?? skipWithoutDatabase(t);

  /** Creates a module of its own for one test. */
  async function freshModule(h: SeatHarness, capacity: number): Promise<string> {
    const code = uniqueModuleCode();
    await insertModule(h.dataSource, code, capacity);
    return code;
  }

  test('reservations racing in separate transactions never overbook a module', async (t) => {
    const h = use(t);
    if (!h) return;
    const code = await freshModule(h, 10);
    const commands = Array.from({ length: 60 }, () => reserveSeatCommand(code));

    // Past the bus, which would hand one module's commands over one at a time: every command in
    // its own transaction, all at once, as two consumers in a rebalance could.
    await Promise.all(
      commands.map((command) =>
        handleOnce(h.dataSource.manager, 'module-seats-race', command.id, (manager) =>
          handleSeatCommand(command, manager),
        ),
      ),
    );
    h.service.relay?.nudge();
    await h.answers.waitFor('60 answers', (events) => answersAll(events, commands.map(idOf)));

    assert.deepEqual(await readSeats(h.dataSource, code), {
      capacity: 10,
      seatsTaken: 10,
      held: 10,
      waiting: 50,
    });
    const positions = eventsOfType(h.answers.events, 'SeatWaitlisted')
      .filter((e) => e.payload.moduleCode === code)
      .map((e) => e.payload.position)
      .sort((a, b) => a - b);
    assert.deepEqual(
      positions,
      Array.from({ length: 50 }, (_, i) => i + 1),
    );
  });

  test('a reservation for a module that does not exist is refused', async (t) => {
    const h = use(t);
    if (!h) return;
    const command = reserveSeatCommand('NONE0000');

    await h.send([command]);
    await h.answers.waitFor('the refusal', (events) => answersAll(events, [idOf(command)]));

    const [refusal] = eventsOfType(h.answers.events, 'SeatRefused').filter(
      (e) => e.payload.registrationId === idOf(command),
    );
    assert.match(refusal!.payload.reason, /No module has the code NONE0000/);
    assert.equal(refusal!.causationId, command.id);
    assert.equal(refusal!.correlationId, command.correlationId);
  });

  test('a staff override takes a seat in a full module by raising its capacity by one', async (t) => {
    const h = use(t);
    if (!h) return;
    const code = await freshModule(h, 1);
    const first = reserveSeatCommand(code);
    const override = reserveSeatCommand(code, randomUUID(), { overrideCapacity: true });

    await h.send([first, override]);
    await h.answers.waitFor('both answers', (events) =>
      answersAll(events, [idOf(first), idOf(override)]),
    );

    const reserved = eventsOfType(h.answers.events, 'SeatReserved').map(
      (e) => e.payload.registrationId,
    );
    assert.ok(reserved.includes(idOf(first)) && reserved.includes(idOf(override)));
    assert.deepEqual(await readSeats(h.dataSource, code), {
      capacity: 2,
      seatsTaken: 2,
      held: 2,
      waiting: 0,
    });
  });

  test('a release that arrives before its reservation keeps the reservation from taking a seat', async (t) => {
    const h = use(t);
    if (!h) return;
    const code = await freshModule(h, 5);
    const registrationId = randomUUID();
    const marker = reserveSeatCommand(code);

    await h.send([
      releaseSeatCommand(code, registrationId),
      reserveSeatCommand(code, registrationId),
      marker,
    ]);
    await h.answers.waitFor('the marker', (events) => answersAll(events, [idOf(marker)]));

    const aboutIt = h.answers.events.filter(
      (e) => (e.payload as { registrationId?: string }).registrationId === registrationId,
    );
    assert.deepEqual(aboutIt, []);
    assert.equal((await readSeats(h.dataSource, code)).seatsTaken, 1);
  });

  test('leaving the waitlist gives the place up and moves those behind it up', async (t) => {
    const h = use(t);
    if (!h) return;
    const code = await freshModule(h, 1);
    const [seated, second, third] = [0, 1, 2].map(() => reserveSeatCommand(code));

    await h.send([seated!, second!, third!, releaseSeatCommand(code, idOf(second!))]);
    await h.answers.waitFor('the release', (events) =>
      eventsOfType(events, 'SeatReleased').some((e) => e.payload.registrationId === idOf(second!)),
    );

    const positions = await findWaitlistPositions(h.dataSource.manager, [
      idOf(seated!),
      idOf(second!),
      idOf(third!),
    ]);
    assert.deepEqual([...positions], [[idOf(third!), 1]]);
    assert.deepEqual(await readSeats(h.dataSource, code), {
      capacity: 1,
      seatsTaken: 1,
      held: 1,
      waiting: 1,
    });
  });

  test('releasing a seat nobody waits for frees it and announces it', async (t) => {
    const h = use(t);
    if (!h) return;
    const code = await freshModule(h, 2);
    const command = reserveSeatCommand(code);

    await h.send([command, releaseSeatCommand(code, idOf(command))]);
    await h.answers.waitFor('two seats free again', (events) =>
      eventsOfType(events, 'SeatAvailabilityChanged').some(
        (e) => e.payload.moduleCode === code && e.payload.seatsAvailable === 2,
      ),
    );

    assert.deepEqual(await readSeats(h.dataSource, code), {
      capacity: 2,
      seatsTaken: 0,
      held: 0,
      waiting: 0,
    });
  });

  test('a command whose registration id is not a UUID is dead-lettered without a retry', async (t) => {
    const h = use(t);
    if (!h) return;
    const code = await freshModule(h, 2);
    const dead: BusMessage[] = [];
    const subscription = await h.bus.subscribe({
      groupId: `dlq-reader-${randomUUID().slice(0, 8)}`,
      topics: [deadLetterTopicOf(TOPICS.moduleCommands)],
      handler: async (message) => void dead.push(message),
    });

    await h.send([reserveSeatCommand(code, 'not-a-uuid')]);
    await waitUntil(() => dead.length > 0, 'the dead letter');
    await subscription.stop();

    assert.equal(dead[0]!.headers?.[DEAD_LETTER_HEADERS.errorCode], 'SEAT_COMMAND_INVALID');
    assert.equal(dead[0]!.headers?.[DEAD_LETTER_HEADERS.attempts], '1');
    assert.equal((await readSeats(h.dataSource, code)).seatsTaken, 0);
  });
});
