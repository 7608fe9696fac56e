import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestContext } from 'node:test';
import { GraphQLError } from 'graphql';
import { connectRedis, createLogger } from '@registrar/platform';
import { connectTestRedis, redisUrlForTests, testAddress } from './limits-test-server.js';
import type { TestRedis } from './limits-test-server.js';
import { createLoginLimiter } from './login-limiter.js';
import type { LoginLimiter } from './login-limiter.js';
import { rateLimitKeys } from './rate-limit-keys.js';
import { createRateLimitStore } from './rate-limit-store.js';

const logger = createLogger({ service: 'login-limiter-test', level: 'silent' });
const limits = {
  loginFailuresPerAccount: { points: 5, durationSeconds: 900 },
  loginFailuresPerIp: { points: 12, durationSeconds: 900 },
};

function isRefusal(code: string, status: number) {
  return (error: unknown) => {
    assert.ok(error instanceof GraphQLError, String(error));
    assert.equal(error.extensions['code'], code);
    assert.equal((error.extensions['http'] as { status: number }).status, status);
    return true;
  };
}

let accountNumber = 0;
const freshAccount = () => `account-${process.pid}-${(accountNumber += 1)}`;

async function failTimes(login: LoginLimiter, username: string, ip: string, times: number) {
  for (let i = 0; i < times; i += 1) {
    await login.checkLogin(username, ip);
    await login.recordLoginFailure(username, ip);
  }
}

for (const backend of ['memory', 'redis'] as const) {
  describe(`the login limiter (${backend})`, () => {
    let testRedis: TestRedis | undefined;
    let login: LoginLimiter;

    before(async () => {
      if (backend === 'redis') {
        const url = redisUrlForTests();
        if (!url) return;
        testRedis = await connectTestRedis(url);
      }
      const store = createRateLimitStore({
        redis: testRedis?.redis,
        keyPrefix: testRedis?.keyPrefix ?? 'ratelimit',
        logger,
      });
      login = createLoginLimiter({ store, limits, logger });
    });
    after(() => testRedis?.close());

    const skipWithoutRedis = (t: TestContext) => {
      if (backend === 'redis' && !testRedis) t.skip('REDIS_URL is not set');
      return backend === 'redis' && !testRedis;
    };

    test('five failures on one account block its sixth attempt with RATE_LIMITED and a delay', async (t) => {
      if (skipWithoutRedis(t)) return;
      const username = freshAccount();
      await failTimes(login, username, testAddress(), 5);
      await assert.rejects(login.checkLogin(username, testAddress()), (error: unknown) => {
        isRefusal('RATE_LIMITED', 429)(error);
        const { extensions, message } = error as GraphQLError;
        assert.ok((extensions['retryAfterSeconds'] as number) > 800);
        assert.match(message, /This account has had 5 failed sign-ins in 15 minutes/);
        assert.match(message, /Try again in 15 minutes\.$/);
        return true;
      });
    });

    test('the account limit is per account: another account may still try', async (t) => {
      if (skipWithoutRedis(t)) return;
      const ip = testAddress();
      const blocked = freshAccount();
      await failTimes(login, blocked, ip, 5);
      await assert.rejects(login.checkLogin(blocked, ip), isRefusal('RATE_LIMITED', 429));
      await login.checkLogin(freshAccount(), ip);
    });

    test('usernames that differ only in case or spaces share one count', async (t) => {
      if (skipWithoutRedis(t)) return;
      const username = freshAccount();
      await failTimes(login, username, testAddress(), 5);
      await assert.rejects(
        login.checkLogin(` ${username.toUpperCase()} `, testAddress()),
        isRefusal('RATE_LIMITED', 429),
      );
    });

    test("a successful sign-in clears the account's failures", async (t) => {
      if (skipWithoutRedis(t)) return;
      const username = freshAccount();
      await failTimes(login, username, testAddress(), 4);
      await login.resetLoginFailures(username);
      await failTimes(login, username, testAddress(), 4);
      await login.checkLogin(username, testAddress());
    });

    test('failures across many accounts from one network block that network', async (t) => {
      if (skipWithoutRedis(t)) return;
      const ip = testAddress();
      for (let i = 0; i < 12; i += 1) await failTimes(login, freshAccount(), ip, 1);
      await assert.rejects(login.checkLogin(freshAccount(), ip), (error: unknown) => {
        isRefusal('RATE_LIMITED', 429)(error);
        assert.match((error as Error).message, /Your network has had 12 failed sign-ins/);
        return true;
      });
      await login.checkLogin(freshAccount(), testAddress());
    });

    test('the store holds the SHA-256 of the username, never the username', async (t) => {
      if (backend === 'memory') return t.skip('memory counters have no keys to inspect');
      if (skipWithoutRedis(t)) return;
      await login.recordLoginFailure('Grace.Hopper', '203.0.113.20');
      const keys = await testRedis!.keys();
      const expected = rateLimitKeys(testRedis!.keyPrefix).loginFailuresPerAccount('grace.hopper');
      assert.match(expected, /:login-account:[0-9a-f]{64}$/);
      assert.ok(keys.includes(expected));
      assert.doesNotMatch(keys.join(' '), /grace|hopper/i);
    });
  });
}

describe('the login limiter when Redis cannot be reached', () => {
  const redis = connectRedis('redis://127.0.0.1:1');
  const store = createRateLimitStore({ redis, keyPrefix: 'ratelimit', logger });
  const login = createLoginLimiter({ store, limits, logger });
  after(() => redis.disconnect());

  test('checking a sign-in fails closed with SERVICE_UNAVAILABLE', async () => {
    await assert.rejects(login.checkLogin('s0001', '203.0.113.1'), (error: unknown) => {
      isRefusal('SERVICE_UNAVAILABLE', 503)(error);
      assert.match((error as Error).message, /^Signing in is unavailable for a moment/);
      return true;
    });
  });

  test('recording a failure fails closed with SERVICE_UNAVAILABLE', async () => {
    await assert.rejects(
      login.recordLoginFailure('s0001', '203.0.113.1'),
      isRefusal('SERVICE_UNAVAILABLE', 503),
    );
  });

  test('clearing failures after a successful sign-in does not throw', async () => {
    await login.resetLoginFailures('s0001');
  });
});
