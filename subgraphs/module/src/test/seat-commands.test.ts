import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { TestContext } from 'node:test';
import {
  DEAD_LETTER_HEADERS,
  TOPICS,
  createEnvelopeSigner,
  deadLetterTopicOf,
} from '@registrar/events';
import type { BusMessage } from '@registrar/events';
import { generateKeyPair } from 'jose';
import {
  MODULE_DATABASE_URL,
  STAFF,
  answersAll,
  executeGraphql,
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
  signCommands,
  uniqueModuleCode,
  waitUntil,
} from './seat-test-support.js';

const CAPACITY = 30;
const REQUESTS = 200;

// One story, told in order: each test starts from the state the one before left.
describe('a 30-seat module asked for 200 seats at once', () => {
  let harness: SeatHarness | undefined;
  const code = uniqueModuleCode();
  /** Registration ids in the order their ReserveSeat was published. */
  const sent: string[] = [];
  /** The signed reservations, as published. */
  const messages: BusMessage[] = [];
  const waitlisted = () => sent.slice(CAPACITY);

  before(async () => {
    if (!MODULE_DATABASE_URL) return;
    harness = await startSeatHarness(MODULE_DATABASE_URL);
    await insertModule(harness.dataSource, code, CAPACITY);
  });
  after(() => harness?.stop());

  /** The harness, or a skip (a failure in CI) without DATABASE_URL_MODULE. */
  const use = (t: TestContext) => harness ?? skipWithoutDatabase(t);

  test('200 concurrent reservations take exactly 30 seats and waitlist the rest in the order sent', async (t) => {
    const h = use(t);
    if (!h) return;
    const commands = Array.from({ length: REQUESTS }, () => reserveSeatCommand(code));
    sent.push(...commands.map((c) => (c.payload as { registrationId: string }).registrationId));

    messages.push(...(await signCommands(h.keys.registration, commands)));

    const started = performance.now();
    // All in flight at once; the bus keeps them in publish order within the module's partition.
    await Promise.all(messages.map((message) => h.bus.publish(TOPICS.moduleCommands, [message])));
    await h.answers.waitFor('an answer to every reservation', (events) => answersAll(events, sent));
    t.diagnostic(
      `${REQUESTS} reservations answered in ${Math.round(performance.now() - started)} ms`,
    );

    const reserved = eventsOfType(h.answers.events, 'SeatReserved');
    assert.deepEqual(
      reserved.map((e) => e.payload.registrationId).sort(),
      sent.slice(0, CAPACITY).sort(),
    );
    assert.ok(reserved.every((e) => !e.payload.fromWaitlist && e.payload.feeAmount === 12_500));
    const positions = new Map(
      eventsOfType(h.answers.events, 'SeatWaitlisted').map((e) => [
        e.payload.registrationId,
        e.payload.position,
      ]),
    );
    assert.equal(positions.size, REQUESTS - CAPACITY);
    assert.deepEqual(
      waitlisted().map((id) => positions.get(id)),
      waitlisted().map((_, index) => index + 1),
    );
    assert.deepEqual(await readSeats(h.dataSource, code), {
      capacity: CAPACITY,
      seatsTaken: CAPACITY,
      held: CAPACITY,
      waiting: REQUESTS - CAPACITY,
    });
    await h.answers.waitFor('the module to be announced full', (events) =>
      eventsOfType(events, 'SeatAvailabilityChanged').some(
        (e) => e.payload.moduleCode === code && e.payload.seatsAvailable === 0,
      ),
    );
  });

  test('a command delivered twice, or asked again, changes nothing', async (t) => {
    const h = use(t);
    if (!h) return;
    const seats = await readSeats(h.dataSource, code);
    const answered = h.answers.events.length;

    // The first reservation's very bytes again (a redelivery), then new commands for a seated and
    // a waitlisted registration (the saga asking again), then a marker whose answer proves the
    // partition got past them.
    await h.bus.publish(TOPICS.moduleCommands, [messages[0]!, messages[0]!]);
    await h.send([reserveSeatCommand(code, sent[0]!), reserveSeatCommand(code, sent[40]!)]);
    const marker = reserveSeatCommand(code);
    sent.push((marker.payload as { registrationId: string }).registrationId);
    await h.send([marker]);
    await h.answers.waitFor('the marker to be answered', (events) =>
      answersAll(events, [sent.at(-1)!]),
    );

    const since = h.answers.events.slice(answered);
    assert.deepEqual(
      since.filter((e) => e.type !== 'SeatWaitlisted').map((e) => e.type),
      [],
      'only the marker is answered',
    );
    assert.deepEqual(await readSeats(h.dataSource, code), {
      ...seats,
      waiting: seats.waiting + 1,
    });
  });

  test('releasing 5 seats promotes exactly the first 5 waitlisted students, in order', async (t) => {
    const h = use(t);
    if (!h) return;
    const released = sent.slice(0, 5);
    await h.send(released.map((id) => releaseSeatCommand(code, id)));
    // A release and its promotion commit together, but leave the outbox in no fixed order.
    await h.answers.waitFor(
      '5 releases and 5 promotions',
      (events) =>
        eventsOfType(events, 'SeatReserved').filter((e) => e.payload.fromWaitlist).length >= 5 &&
        eventsOfType(events, 'SeatReleased').length >= 5,
    );

    const promoted = eventsOfType(h.answers.events, 'SeatReserved').filter(
      (e) => e.payload.fromWaitlist,
    );
    // Answers are keyed by registration, so they reach a subscriber across partitions in no
    // fixed order; which five moved up is what the first-come order decides.
    assert.deepEqual(
      promoted.map((e) => e.payload.registrationId).sort(),
      waitlisted().slice(0, 5).sort(),
    );
    assert.deepEqual(
      eventsOfType(h.answers.events, 'SeatReleased')
        .map((e) => e.payload.registrationId)
        .sort(),
      [...released].sort(),
    );
    const seats = await readSeats(h.dataSource, code);
    assert.equal(seats.seatsTaken, CAPACITY);
    assert.equal(seats.held, CAPACITY);
  });

  test('a forged command lands in module.commands.dlq and changes nothing', async (t) => {
    const h = use(t);
    if (!h) return;
    const dead: BusMessage[] = [];
    const subscription = await h.bus.subscribe({
      groupId: `dlq-reader-${randomUUID().slice(0, 8)}`,
      topics: [deadLetterTopicOf(TOPICS.moduleCommands)],
      fromBeginning: true,
      handler: async (message) => void dead.push(message),
    });
    const seats = await readSeats(h.dataSource, code);
    // Signed in the saga's name, but not with its key: a staff override nobody gave.
    const forger = createEnvelopeSigner(
      'registration',
      (await generateKeyPair('ES256')).privateKey,
    );
    const forged = reserveSeatCommand(code, randomUUID(), { overrideCapacity: true });
    const [message] = await signCommands(forger, [forged]);

    await h.bus.publish(TOPICS.moduleCommands, [message!]);
    await waitUntil(() => dead.some((m) => m.value.equals(message!.value)), 'the forged command');
    await subscription.stop();

    assert.deepEqual(
      dead.map((m) => m.headers?.[DEAD_LETTER_HEADERS.errorCode]),
      ['EVENT_SIGNATURE_INVALID'],
    );
    assert.deepEqual(await readSeats(h.dataSource, code), seats);
    const [known] = await h.dataSource.query(
      `SELECT count(*)::int AS n FROM seat_holds WHERE registration_id = $1`,
      [(forged.payload as { registrationId: string }).registrationId],
    );
    assert.equal(known.n, 0);
  });

  test('raising the capacity by 3 promotes the next 3 waitlisted students', async (t) => {
    const h = use(t);
    if (!h) return;
    const result = await executeGraphql(h, {
      viewer: STAFF,
      query: `mutation($code: String!, $capacity: Int!) {
        updateModuleCapacity(code: $code, capacity: $capacity) { capacity seatsAvailable }
      }`,
      variables: { code: code.toLowerCase(), capacity: CAPACITY + 3 },
    });
    assert.deepEqual(result.errors, undefined);
    assert.deepEqual(
      { ...(result.data?.['updateModuleCapacity'] as object) },
      {
        capacity: CAPACITY + 3,
        seatsAvailable: 0,
      },
    );

    await h.answers.waitFor(
      '8 promotions',
      (events) =>
        eventsOfType(events, 'SeatReserved').filter((e) => e.payload.fromWaitlist).length >= 8,
    );
    const promoted = eventsOfType(h.answers.events, 'SeatReserved')
      .filter((e) => e.payload.fromWaitlist)
      .map((e) => e.payload.registrationId);
    assert.deepEqual(promoted.slice(5).sort(), waitlisted().slice(5, 8).sort());
    await h.answers.waitFor('the new capacity to be announced', (events) =>
      eventsOfType(events, 'SeatAvailabilityChanged').some(
        (e) => e.payload.capacity === CAPACITY + 3 && e.payload.seatsAvailable === 0,
      ),
    );
    assert.deepEqual(await readSeats(h.dataSource, code), {
      capacity: CAPACITY + 3,
      seatsTaken: CAPACITY + 3,
      held: CAPACITY + 3,
      waiting: REQUESTS - CAPACITY + 1 - 8,
    });
  });
});
