import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { connectRedis, createMemoryStore, createRedisStore } from './key-value-store.js';
import type { KeyValueStore } from './key-value-store.js';

/** What the shared suite needs to drive one implementation. */
interface StoreHarness {
  store: KeyValueStore;
  /** Lets a little time pass for the store: 100 ms of its clock. */
  tick(): Promise<void>;
  /** Creates another, independent store over the same backend. */
  createStore(): KeyValueStore;
}

/** How to get a harness, or why this machine cannot provide one. */
type StoreFixture =
  { open(): Promise<StoreHarness> } | { skipReason: string } | { failReason: string };

// Long enough that no test outlives it by accident, short enough that Redis keys left behind by
// an interrupted run clean themselves up.
const LONG_TTL_SECONDS = 60;
// Ticks are 100 ms, so this bounds every wait at 10 seconds of the store's clock.
const MAX_TICKS = 100;

async function tickUntil(
  harness: StoreHarness,
  condition: () => Promise<boolean>,
): Promise<boolean> {
  for (let ticks = 0; ticks < MAX_TICKS; ticks += 1) {
    if (await condition()) return true;
    await harness.tick();
  }
  return condition();
}

function countTrue(results: boolean[]): number {
  return results.filter(Boolean).length;
}

function describeKeyValueStore(name: string, fixture: StoreFixture): void {
  describe(name, () => {
    let harness: StoreHarness | undefined;
    const prefix = `kv-test:${randomUUID()}:`;
    let keyCount = 0;
    const freshKey = (label: string) => `${prefix}${label}:${(keyCount += 1)}`;

    before(async () => {
      if ('open' in fixture) harness = await fixture.open();
    });
    after(async () => {
      await harness?.store.close();
    });

    const behaviour = (title: string, body: (harness: StoreHarness) => Promise<void>) =>
      test(title, async (t) => {
        if ('failReason' in fixture) throw new Error(fixture.failReason);
        if ('skipReason' in fixture) return t.skip(fixture.skipReason);
        await body(harness!);
      });

    behaviour('a value set under a key is what get returns', async ({ store }) => {
      const key = freshKey('get');

      await store.set(key, 'first', LONG_TTL_SECONDS);
      assert.equal(await store.get(key), 'first');

      await store.set(key, 'second', LONG_TTL_SECONDS);
      assert.equal(await store.get(key), 'second');
    });

    behaviour('get of a key never set returns undefined', async ({ store }) => {
      assert.equal(await store.get(freshKey('absent')), undefined);
    });

    behaviour('a value is gone once its TTL has passed', async (h) => {
      const key = freshKey('ttl');
      await h.store.set(key, 'short-lived', 1);
      assert.equal(await h.store.get(key), 'short-lived');

      const expired = await tickUntil(h, async () => (await h.store.get(key)) === undefined);

      assert.ok(expired, `the value was still there after ${MAX_TICKS} ticks`);
    });

    behaviour('setIfAbsent stores only when the key is absent', async ({ store }) => {
      const key = freshKey('claim');

      assert.equal(await store.setIfAbsent(key, 'first', LONG_TTL_SECONDS), true);
      assert.equal(await store.setIfAbsent(key, 'second', LONG_TTL_SECONDS), false);
      assert.equal(await store.get(key), 'first');
    });

    behaviour('of 20 concurrent setIfAbsent claims exactly one wins', async ({ store }) => {
      const key = freshKey('claim-race');
      const claimants = Array.from({ length: 20 }, (_, index) => `claimant-${index}`);

      const results = await Promise.all(
        claimants.map((claimant) => store.setIfAbsent(key, claimant, LONG_TTL_SECONDS)),
      );

      assert.equal(countTrue(results), 1);
      assert.equal(await store.get(key), claimants[results.indexOf(true)]);
    });

    behaviour('a claim can be made again once the earlier one has expired', async (h) => {
      const key = freshKey('claim-expiry');
      assert.equal(await h.store.setIfAbsent(key, 'first', 1), true);

      const reclaimed = await tickUntil(h, () => h.store.setIfAbsent(key, 'second', 1));

      assert.ok(reclaimed, `the claim was still held after ${MAX_TICKS} ticks`);
      assert.equal(await h.store.get(key), 'second');
    });

    behaviour('delete returns true only for the caller that removed the key', async ({ store }) => {
      const key = freshKey('delete');
      await store.set(key, 'value', LONG_TTL_SECONDS);

      assert.equal(await store.delete(key), true);
      assert.equal(await store.get(key), undefined);
      assert.equal(await store.delete(key), false);
      assert.equal(await store.delete(freshKey('never-set')), false);
    });

    behaviour('of 20 concurrent deletes of one key exactly one returns true', async ({ store }) => {
      const key = freshKey('delete-race');
      await store.set(key, 'value', LONG_TTL_SECONDS);

      const results = await Promise.all(Array.from({ length: 20 }, () => store.delete(key)));

      assert.equal(countTrue(results), 1);
    });

    behaviour('100 concurrent increments count to 100 with no update lost', async ({ store }) => {
      const key = freshKey('counter');

      const results = await Promise.all(
        Array.from({ length: 100 }, () => store.increment(key, LONG_TTL_SECONDS)),
      );

      const expected = Array.from({ length: 100 }, (_, index) => index + 1);
      assert.deepEqual(
        [...results].sort((a, b) => a - b),
        expected,
      );
      assert.equal(await store.get(key), '100');
    });

    behaviour('a counter starts again from 1 once its TTL window has passed', async (h) => {
      const key = freshKey('window');
      assert.equal(await h.store.increment(key, 1), 1);
      assert.equal(await h.store.increment(key, 1), 2);

      const expired = await tickUntil(h, async () => (await h.store.get(key)) === undefined);

      assert.ok(expired, `the counter was still there after ${MAX_TICKS} ticks`);
      assert.equal(await h.store.increment(key, 1), 1);
    });

    // A rate limit whose window restarted on every hit would never let a busy client through.
    behaviour('later increments do not extend the window the first one started', async (h) => {
      const key = freshKey('fixed-window');
      assert.equal(await h.store.increment(key, 1), 1);

      let last = 1;
      const restarted = await tickUntil(h, async () => {
        const count = await h.store.increment(key, 1);
        const restartedNow = count === 1;
        if (!restartedNow) assert.equal(count, last + 1);
        last = count;
        return restartedNow;
      });

      assert.ok(restarted, `the window was still open after ${MAX_TICKS} ticks`);
    });

    behaviour('ping resolves when the store is reachable', async ({ store }) => {
      await store.ping();
    });

    behaviour('a store answers as soon as it is created, without a wait', async (h) => {
      const store = h.createStore();
      try {
        await store.ping();
        const key = freshKey('fresh');
        await store.set(key, 'value', LONG_TTL_SECONDS);
        assert.equal(await store.get(key), 'value');
      } finally {
        await store.close();
      }
    });
  });
}

function memoryFixture(): StoreFixture {
  return {
    async open() {
      let time = Date.UTC(2025, 8, 1, 9, 0, 0);
      const clock = () => time;
      return {
        store: createMemoryStore(clock),
        tick: async () => {
          time += 100;
        },
        createStore: () => createMemoryStore(clock),
      };
    },
  };
}

function redisFixture(): StoreFixture {
  const url = process.env['REDIS_URL'];
  if (!url && process.env['CI'] === 'true') {
    return { failReason: 'Redis is required in CI: set REDIS_URL (e.g. redis://127.0.0.1:6379).' };
  }
  if (!url) return { skipReason: 'REDIS_URL is not set; the Redis store is not tested here.' };
  return {
    async open() {
      const store = createRedisStore(connectRedis(url));
      // The store rejects commands until its connection is up (see the "without a wait"
      // behaviour); wait for it here so every other behaviour is tested on its own.
      const ready = await pollUntil(() =>
        store.ping().then(
          () => true,
          () => false,
        ),
      );
      assert.ok(ready, `Redis at ${url} did not answer ping`);
      return {
        store,
        tick: () => sleep(100),
        createStore: () => createRedisStore(connectRedis(url)),
      };
    },
  };
}

async function pollUntil(condition: () => Promise<boolean>): Promise<boolean> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    if (await condition()) return true;
    await sleep(100);
  }
  return false;
}

describeKeyValueStore('createMemoryStore', memoryFixture());
describeKeyValueStore('createRedisStore', redisFixture());

describe('createMemoryStore with an injected clock', () => {
  test('a value is still there a moment before its TTL runs out', async () => {
    let time = 1_000_000;
    const store = createMemoryStore(() => time);
    try {
      await store.set('greeting', 'hello', 30);

      time += 29_999;
      assert.equal(await store.get('greeting'), 'hello');
      time += 1;
      assert.equal(await store.get('greeting'), undefined);
    } finally {
      await store.close();
    }
  });

  test('an expired key counts as absent for setIfAbsent, delete and increment', async () => {
    let time = 1_000_000;
    const store = createMemoryStore(() => time);
    try {
      await store.set('claim', 'old', 1);
      await store.set('gone', 'old', 1);
      await store.set('counter', '41', 1);

      time += 1_000;

      assert.equal(await store.delete('gone'), false);
      assert.equal(await store.setIfAbsent('claim', 'new', 1), true);
      assert.equal(await store.increment('counter', 1), 1);
    } finally {
      await store.close();
    }
  });
});

describe('createRedisStore without a server', () => {
  test('ping rejects when nothing answers at the URL', async () => {
    const store = createRedisStore(connectRedis('redis://127.0.0.1:1'));
    try {
      await assert.rejects(store.ping());
    } finally {
      await store.close();
    }
  });
});
