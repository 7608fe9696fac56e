import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Redis } from 'ioredis';
import { connectRedis, createLogger } from '@registrar/platform';
import { registrationMutation, startLimitsTestServer } from './limits-test-server.js';
import type { LimitsTestServer, TestResponse } from './limits-test-server.js';

function onlyError(response: TestResponse) {
  assert.ok(!Array.isArray(response.body), 'expected one result, not a batch');
  assert.equal(response.body.errors?.length, 1, JSON.stringify(response.body));
  return response.body.errors[0]!;
}

describe('when the rate-limit store is down', () => {
  let redis: Redis;
  let server: LimitsTestServer;
  const lines: string[] = [];

  before(async () => {
    // Nothing listens on port 1: every Redis command fails at once.
    redis = connectRedis('redis://127.0.0.1:1');
    const logger = createLogger({
      service: 'limits-test',
      level: 'warn',
      destination: { write: (line: string) => void lines.push(line) },
    });
    server = await startLimitsTestServer({ redis, logger });
  });
  after(async () => {
    await server.stop();
    redis.disconnect();
  });

  test('registration is refused with 503 SERVICE_UNAVAILABLE, without calling the resolver', async () => {
    server.resetCalls();
    const response = await server.query(registrationMutation(1), { role: 'student' });
    assert.equal(response.status, 503);
    const error = onlyError(response);
    assert.equal(error.extensions?.['code'], 'SERVICE_UNAVAILABLE');
    assert.match(error.message, /cannot reach its rate-limit store\. Try again in a minute\./);
    assert.equal(server.calls.registerForModule, 0);
  });

  test('ordinary queries still pass, and the outage is logged once as a warning', async () => {
    for (let i = 0; i < 3; i += 1) {
      const response = await server.query('{ modules(first: 1) { code } }');
      assert.equal(response.status, 200);
      assert.equal((response.body as { errors?: unknown }).errors, undefined);
    }
    const warnings = lines.filter((line) => line.includes('rate-limit store unreachable'));
    assert.equal(warnings.length, 1);
  });

  test('sign-in is refused with 503 SERVICE_UNAVAILABLE', async () => {
    await assert.rejects(server.limits.login.checkLogin('s0001', '203.0.113.9'), (error: any) => {
      assert.equal(error.extensions.code, 'SERVICE_UNAVAILABLE');
      assert.equal(error.extensions.http.status, 503);
      return true;
    });
  });
});
