import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { createMemoryStore } from '@registrar/platform';
import type { KeyValueStore } from '@registrar/platform';
import { createSessionStore } from './session-store.js';
import type { Principal, SessionStore } from './session-store.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const ada: Principal = { subject: 'user-ada', roles: ['student'], studentId: 'S0000123' };

describe('createSessionStore', () => {
  let time: number;
  let store: KeyValueStore;
  let sessions: SessionStore;

  beforeEach(() => {
    time = Date.UTC(2025, 8, 1, 9, 0, 0);
    const clock = () => time;
    store = createMemoryStore(clock);
    // The defaults: 30 minutes idle, 12 hours absolute.
    sessions = createSessionStore(store, { now: clock });
  });
  afterEach(async () => {
    await store.close();
  });

  test('a created session can be touched and holds who it belongs to', async () => {
    const session = await sessions.create(ada, 'Firefox on Linux');

    const touched = await sessions.touch(session.id);

    assert.deepEqual(touched, {
      ...ada,
      id: session.id,
      device: 'Firefox on Linux',
      createdAt: time,
      lastSeenAt: time,
    });
  });

  test('every session gets an id of its own', async () => {
    const first = await sessions.create(ada, 'phone');
    const second = await sessions.create(ada, 'laptop');

    assert.notEqual(first.id, second.id);
    assert.equal((await sessions.touch(first.id))?.device, 'phone');
    assert.equal((await sessions.touch(second.id))?.device, 'laptop');
  });

  test('an id that was never issued touches nothing', async () => {
    assert.equal(await sessions.touch('00000000-0000-4000-8000-000000000000'), undefined);
  });

  test('an ended session is gone at once', async () => {
    const session = await sessions.create(ada, 'laptop');

    await sessions.end(session.id);

    assert.equal(await sessions.touch(session.id), undefined);
  });

  test('ending one session leaves the user’s other sessions alive', async () => {
    const phone = await sessions.create(ada, 'phone');
    const laptop = await sessions.create(ada, 'laptop');

    await sessions.end(phone.id);

    assert.equal((await sessions.touch(laptop.id))?.id, laptop.id);
  });

  test('touching a session records when it was last seen', async () => {
    const session = await sessions.create(ada, 'laptop');
    const createdAt = time;

    time += 10 * MINUTE;
    const touched = await sessions.touch(session.id);

    assert.equal(touched?.lastSeenAt, time);
    assert.equal(touched?.createdAt, createdAt);
    time += MINUTE;
    assert.equal((await sessions.touch(session.id))?.lastSeenAt, time);
  });

  test('a session unused for the idle timeout ends', async () => {
    const session = await sessions.create(ada, 'laptop');

    time += 30 * MINUTE;

    assert.equal(await sessions.touch(session.id), undefined);
  });

  test('a session used just within the idle timeout stays alive', async () => {
    const session = await sessions.create(ada, 'laptop');

    time += 30 * MINUTE - 1;

    assert.equal((await sessions.touch(session.id))?.id, session.id);
  });

  test('each use starts the idle timeout again', async () => {
    const session = await sessions.create(ada, 'laptop');

    for (let use = 0; use < 4; use += 1) {
      time += 20 * MINUTE;
      assert.equal((await sessions.touch(session.id))?.id, session.id, `use ${use + 1}`);
    }
    time += 30 * MINUTE;
    assert.equal(await sessions.touch(session.id), undefined);
  });

  test('a session ends at its absolute lifetime however active it is', async () => {
    const session = await sessions.create(ada, 'laptop');
    const endsAt = time + 12 * HOUR;

    while (time + 10 * MINUTE < endsAt) {
      time += 10 * MINUTE;
      assert.equal(
        (await sessions.touch(session.id))?.id,
        session.id,
        `at ${new Date(time).toISOString()}`,
      );
    }
    time = endsAt;

    assert.equal(await sessions.touch(session.id), undefined);
  });

  test('shorter idle and absolute limits given as options are honoured', async () => {
    const clock = () => time;
    const strict = createSessionStore(store, { idleSeconds: 60, absoluteSeconds: 150, now: clock });
    const idle = await strict.create(ada, 'kiosk');
    const active = await strict.create(ada, 'kiosk');

    time += 50_000;
    assert.ok(await strict.touch(active.id));
    time += 50_000;
    assert.ok(await strict.touch(active.id));
    assert.equal(await strict.touch(idle.id), undefined);
    time += 50_000;
    assert.equal(await strict.touch(active.id), undefined);
  });

  test('a very long device description is cut to 120 characters', async () => {
    const session = await sessions.create(ada, 'x'.repeat(5_000));

    assert.equal(session.device.length, 120);
    assert.equal((await sessions.touch(session.id))?.device.length, 120);
  });
});
