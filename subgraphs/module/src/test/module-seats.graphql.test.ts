import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { TestContext } from 'node:test';
import type { RegistrarEvent } from '@registrar/events';
import { IDENTITY_HEADER, signIdentity } from '@registrar/platform';
import type { Viewer } from '@registrar/platform';
import {
  MODULE_DATABASE_URL,
  STAFF,
  STUDENT,
  answersAll,
  executeGraphql,
  skipWithoutDatabase,
  startSeatHarness,
} from './seat-harness.js';
import type { SeatHarness } from './seat-harness.js';
import {
  insertModule,
  readSeats,
  reserveSeatCommand,
  uniqueModuleCode,
} from './seat-test-support.js';

const idOf = (command: RegistrarEvent) =>
  (command.payload as { registrationId: string }).registrationId;

const POSITIONS = `query($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Registration { id waitlistPosition } }
}`;

const UPDATE_CAPACITY = `mutation($code: String!, $capacity: Int!) {
  updateModuleCapacity(code: $code, capacity: $capacity) { code capacity seatsAvailable }
}`;

describe('seats over GraphQL', () => {
  let harness: SeatHarness | undefined;
  const code = uniqueModuleCode();
  /** One seated registration, then three waiting. */
  const commands = Array.from({ length: 4 }, () => reserveSeatCommand(code));

  before(async () => {
    if (!MODULE_DATABASE_URL) return;
    harness = await startSeatHarness(MODULE_DATABASE_URL);
    await insertModule(harness.dataSource, code, 1);
    await harness.send(commands);
    await harness.answers.waitFor('4 answers', (events) => answersAll(events, commands.map(idOf)));
  });
  after(() => harness?.stop());
  const use = (t: TestContext) => harness ?? skipWithoutDatabase(t);
  const representations = (ids: string[]) => ids.map((id) => ({ __typename: 'Registration', id }));

  test('waitlistPosition gives each waiting registration its place, in one query per request', async (t) => {
    const h = use(t);
    if (!h) return;
    const unknown = randomUUID();
    const batches: string[][] = [];

    const result = await executeGraphql(h, {
      viewer: STUDENT,
      query: POSITIONS,
      variables: { representations: representations([...commands.map(idOf), unknown]) },
      wrapSeatBook: (seatBook) => ({
        ...seatBook,
        findWaitlistPositions(ids) {
          batches.push([...ids]);
          return seatBook.findWaitlistPositions(ids);
        },
      }),
    });

    assert.deepEqual(result.errors, undefined);
    const entities = result.data?.['_entities'] as Array<{ waitlistPosition: number | null }>;
    assert.deepEqual(
      entities.map((entity) => entity.waitlistPosition),
      [null, 1, 2, 3, null],
    );
    assert.equal(batches.length, 1);
  });

  test('a signed-in student reads a waitlist position from the served subgraph', async (t) => {
    const h = use(t);
    if (!h) return;
    const response = await fetch(h.service.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [IDENTITY_HEADER]: await signIdentity(STUDENT, h.identityKeys.privateKey),
      },
      body: JSON.stringify({
        query: POSITIONS,
        variables: { representations: representations([idOf(commands[2]!)]) },
      }),
    });

    const body = (await response.json()) as { data?: unknown; errors?: unknown };
    assert.deepEqual(body, {
      data: { _entities: [{ id: idOf(commands[2]!), waitlistPosition: 2 }] },
    });
  });

  test('a capacity below the seats taken is refused and names the capacity', async (t) => {
    const h = use(t);
    if (!h) return;
    const seats = await readSeats(h.dataSource, code);

    const result = await executeGraphql(h, {
      viewer: STAFF,
      query: UPDATE_CAPACITY,
      variables: { code, capacity: 0 },
    });

    const [error] = result.errors ?? [];
    assert.equal(error?.extensions['code'], 'BAD_USER_INPUT');
    assert.equal(error?.extensions['argument'], 'capacity');
    assert.match(error!.message, /"capacity" must be at least 1, the seats already taken/);
    assert.deepEqual(await readSeats(h.dataSource, code), seats);
  });

  test('only registry staff may change a capacity', async (t) => {
    const h = use(t);
    if (!h) return;
    const seats = await readSeats(h.dataSource, code);

    const result = await executeGraphql(h, {
      viewer: STUDENT,
      query: UPDATE_CAPACITY,
      variables: { code, capacity: 50 },
    });

    assert.equal(result.errors?.[0]?.extensions['code'], 'FORBIDDEN');
    assert.deepEqual(await readSeats(h.dataSource, code), seats);
  });

  test('changing the capacity of a module that does not exist is NOT_FOUND', async (t) => {
    const h = use(t);
    if (!h) return;
    const result = await executeGraphql(h, {
      viewer: STAFF,
      query: UPDATE_CAPACITY,
      variables: { code: 'NONE0000', capacity: 50 },
    });

    assert.equal(result.errors?.[0]?.extensions['code'], 'NOT_FOUND');
  });

  test('registry staff raise a capacity through the served subgraph, and the next student waiting gets the seat', async (t) => {
    const h = use(t);
    if (!h) return;
    const call = async (viewer: Viewer) => {
      const response = await fetch(h.service.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [IDENTITY_HEADER]: await signIdentity(viewer, h.identityKeys.privateKey),
        },
        body: JSON.stringify({ query: UPDATE_CAPACITY, variables: { code, capacity: 2 } }),
      });
      return (await response.json()) as {
        data?: Record<string, unknown> | null;
        errors?: Array<{ extensions: Record<string, unknown> }>;
      };
    };

    const refused = await call(STUDENT);
    const raised = await call(STAFF);

    assert.equal(refused.errors?.[0]?.extensions['code'], 'FORBIDDEN');
    assert.deepEqual(raised, {
      data: { updateModuleCapacity: { code, capacity: 2, seatsAvailable: 0 } },
    });
    await h.answers.waitFor('the promotion', (events) =>
      events.some(
        (e) =>
          e.type === 'SeatReserved' &&
          e.payload.registrationId === idOf(commands[1]!) &&
          e.payload.fromWaitlist,
      ),
    );
  });
});
