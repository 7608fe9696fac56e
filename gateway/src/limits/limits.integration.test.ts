import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestContext } from 'node:test';
import { getIntrospectionQuery } from 'graphql';
import {
  aliasedQuery,
  connectTestRedis,
  nestedQuery,
  redisUrlForTests,
  registrationMutation,
  startLimitsTestServer,
  testAddress,
} from './limits-test-server.js';
import type {
  LimitsTestServer,
  TestError,
  TestResponse,
  TestResult,
  TestRedis,
} from './limits-test-server.js';
import { rateLimitKeys } from './rate-limit-keys.js';

function single(response: TestResponse): TestResult {
  assert.ok(!Array.isArray(response.body), 'expected one result, not a batch');
  return response.body;
}

function onlyError(response: TestResponse): TestError {
  const { errors } = single(response);
  assert.equal(errors?.length, 1, JSON.stringify(errors));
  return errors[0]!;
}

function assertRefusedBeforeResolvers(
  server: LimitsTestServer,
  response: TestResponse,
  limit: string,
): TestError {
  const error = onlyError(response);
  assert.equal(response.status, 400, JSON.stringify(response.body));
  assert.equal(error.extensions?.['code'], 'BAD_USER_INPUT');
  assert.equal(error.extensions?.['limit'], limit);
  assert.equal(server.calls.total, 0, 'no resolver may run for a refused operation');
  return error;
}

function assertRateLimited(response: TestResponse): TestError {
  assert.equal(response.status, 429, JSON.stringify(response.body));
  const retryAfter = Number(response.headers.get('retry-after'));
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1, `Retry-After is ${retryAfter}`);
  const results = Array.isArray(response.body) ? response.body : [response.body];
  const error = results.flatMap((result) => result.errors ?? []).at(-1)!;
  assert.equal(error.extensions?.['code'], 'RATE_LIMITED');
  assert.equal(error.extensions?.['retryAfterSeconds'], retryAfter);
  assert.match(error.message, /Try again in \d+ (seconds?|minutes)\./);
  return error;
}

describe('operation limits, checked before any resolver runs', () => {
  let server: LimitsTestServer;
  before(async () => {
    server = await startLimitsTestServer();
  });
  after(() => server.stop());

  const fresh = () => {
    server.resetCalls();
    return testAddress();
  };

  test('a query within every limit runs and reaches its resolvers', async () => {
    const ip = fresh();
    const response = await server.query('{ modules(first: 2) { code title } }', { ip });
    assert.equal(response.status, 200);
    assert.deepEqual(single(response).data, {
      modules: [
        { code: 'M0', title: 'Module M0' },
        { code: 'M1', title: 'Module M1' },
      ],
    });
    assert.ok(server.calls.total > 0);
  });

  test('a query nested deeper than the role allows is refused with the depth and the limit', async () => {
    const ip = fresh();
    const error = assertRefusedBeforeResolvers(
      server,
      await server.query(nestedQuery(14), { role: 'student', ip }),
      'depth',
    );
    assert.match(error.message, /^The query is nested 14 levels deep; the limit is 10\./);
    assert.deepEqual([error.extensions?.['actual'], error.extensions?.['max']], [14, 10]);
  });

  test('depth limits follow the role: staff may nest deeper than a student', async () => {
    const ip = fresh();
    const response = await server.query(nestedQuery(12), { role: 'staff', ip });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.equal(single(response).errors, undefined);
  });

  test('an alias attack is refused without resolving a single field', async () => {
    const ip = fresh();
    const error = assertRefusedBeforeResolvers(
      server,
      await server.query(aliasedQuery(40, 'module(code: "COMP1001") { title }'), { ip }),
      'aliases',
    );
    assert.match(error.message, /^The query uses 40 aliases; the limit is 10\./);
  });

  test('aliases of __typename are free', async () => {
    const ip = fresh();
    const response = await server.query(aliasedQuery(30, '__typename'), { ip });
    assert.equal(response.status, 200, JSON.stringify(response.body));
  });

  test('a costly query is refused, its lists multiplied by "first" and the default list size', async () => {
    const ip = fresh();
    const error = assertRefusedBeforeResolvers(
      server,
      await server.query(
        '{ modules(first: 100) { registrations { module { registrations { id } } } } }',
        { role: 'student', ip },
      ),
      'cost',
    );
    // registrations { id } = 1 + 20 × 1; module = 1 + 21; registrations = 1 + 20 × 22;
    // modules = 1 + 100 × 441.
    assert.match(error.message, /^The query's estimated cost is 44101; the limit is 10000\./);
  });

  test('a page larger than 100 is refused naming the argument, from a literal or a variable', async () => {
    const ip = fresh();
    const literal = assertRefusedBeforeResolvers(
      server,
      await server.query('{ modules(first: 101) { code } }', { ip }),
      'pageSize',
    );
    assert.equal(literal.extensions?.['argument'], 'first');
    assert.match(literal.message, /^"first" on modules must be 1 to 100; it is 101\./);

    const variable = assertRefusedBeforeResolvers(
      server,
      await server.query('query ($n: Int) { modules(last: $n) { code } }', { ip }, { n: 5000 }),
      'pageSize',
    );
    assert.equal(variable.extensions?.['argument'], 'last');
  });

  test('a directive flood is refused', async () => {
    const ip = fresh();
    const codes = Array.from({ length: 12 }, () => 'code @skip(if: false)').join(' ');
    const error = assertRefusedBeforeResolvers(
      server,
      await server.query(`{ modules(first: 1) { ${codes} } }`, { ip }),
      'directives',
    );
    assert.match(error.message, /^The query uses 12 directives; the limit is 10\./);
  });

  test("a token flood is refused by the role's token limit", async () => {
    const ip = fresh();
    const codes = Array.from({ length: 1200 }, () => 'code').join(' ');
    const error = assertRefusedBeforeResolvers(
      server,
      await server.query(`{ modules(first: 1) { ${codes} } }`, { ip }),
      'tokens',
    );
    assert.match(error.message, /^The query is 1210 tokens long; the limit is 1000\./);
  });

  test("a document past every role's token limit is refused by the parser", async () => {
    const ip = fresh();
    const codes = Array.from({ length: 6000 }, () => 'code').join(' ');
    const response = await server.query(`{ modules { ${codes} } }`, { role: 'admin', ip });
    assert.equal(response.status, 400);
    assert.equal(onlyError(response).extensions?.['code'], 'GRAPHQL_PARSE_FAILED');
    assert.equal(server.calls.total, 0);
  });

  test('a batch of six operations is refused with 400 and a typed body; five run', async () => {
    const ip = fresh();
    const operation = { query: '{ modules(first: 1) { code } }' };
    const refused = await server.post(Array(6).fill(operation), { ip });
    assert.equal(refused.status, 400);
    assert.deepEqual(single(refused).errors?.[0]?.extensions, {
      code: 'BAD_USER_INPUT',
      limit: 'batchSize',
      max: 5,
      actual: 6,
    });
    assert.equal(server.calls.total, 0);

    const accepted = await server.post(Array(5).fill(operation), { ip });
    assert.equal(accepted.status, 200);
    assert.equal((accepted.body as TestResult[]).length, 5);
  });

  test('introspection is refused for a student and for anonymous callers, with 403', async () => {
    for (const role of ['student', 'anonymous'] as const) {
      const response = await server.query('{ __type(name: "Module") { name } }', {
        role,
        ip: fresh(),
      });
      assert.equal(response.status, 403);
      assert.equal(onlyError(response).extensions?.['code'], 'FORBIDDEN');
      assert.match(onlyError(response).message, /staff/);
    }
  });

  test('staff may run the standard introspection query', async () => {
    const response = await server.query(getIntrospectionQuery(), { role: 'staff', ip: fresh() });
    assert.equal(response.status, 200, JSON.stringify(response.body).slice(0, 500));
    assert.ok((single(response).data?.['__schema'] as { types: unknown[] }).types.length > 0);
  });

  test('field suggestions are hidden from anonymous callers and shown to staff', async () => {
    const typo = '{ modules(first: 1) { titel registrations(status: PENDIN) { id } } }';
    const hidden = single(await server.query(typo, { ip: fresh() })).errors ?? [];
    assert.equal(hidden.length, 2);
    assert.equal(hidden[0]!.message, 'Cannot query field "titel" on type "Module".');
    assert.doesNotMatch(JSON.stringify(hidden), /Did you mean|PENDING|"title"/);

    const shown = single(await server.query(typo, { role: 'staff', ip: fresh() })).errors ?? [];
    assert.match(shown[0]!.message, /Did you mean "title"\?/);
  });

  test('enum suggestions in variable errors are hidden from anonymous callers', async () => {
    const query =
      'query ($s: RegistrationStatus) { modules(first: 1) { registrations(status: $s) { id } } }';
    const response = await server.query(query, { ip: fresh() }, { s: 'PENDIN' });
    assert.equal(response.status, 400);
    const error = onlyError(response);
    assert.match(error.message, /^Variable "\$s" got invalid value "PENDIN"/);
    assert.doesNotMatch(error.message, /Did you mean|PENDING/);
  });
});

for (const backend of ['memory', 'redis'] as const) {
  describe(`rate limits on operations (${backend})`, () => {
    let testRedis: TestRedis | undefined;
    let server: LimitsTestServer;
    let twin: LimitsTestServer | undefined;

    before(async () => {
      if (backend === 'redis') {
        const url = redisUrlForTests();
        if (!url) return;
        testRedis = await connectTestRedis(url);
      }
      const options = {
        ...(testRedis ? { redis: testRedis.redis } : {}),
        config: {
          ...(testRedis ? { keyPrefix: testRedis.keyPrefix } : {}),
          roles: { student: { maxAliases: 50 } },
          rateLimits: {
            operationsPerIp: { points: 10, durationSeconds: 60 },
            operationsPerUser: { points: 8, durationSeconds: 60 },
          },
        },
      };
      server = await startLimitsTestServer(options);
      if (testRedis) twin = await startLimitsTestServer(options);
    });
    after(async () => {
      await server?.stop();
      await twin?.stop();
      await testRedis?.close();
    });

    const skipWithoutRedis = (t: TestContext) => {
      if (backend === 'redis' && !testRedis) t.skip('REDIS_URL is not set');
      return backend === 'redis' && !testRedis;
    };

    test('the 101st registerForModule in a minute from one network is refused with 429 and Retry-After', async (t) => {
      if (skipWithoutRedis(t)) return;
      server.resetCalls();
      const ip = testAddress();
      for (const subject of ['ada', 'grace']) {
        const response = await server.query(registrationMutation(50), {
          role: 'student',
          subject,
          ip,
        });
        assert.equal(response.status, 200, JSON.stringify(response.body).slice(0, 300));
      }
      assert.equal(server.calls.registerForModule, 100);

      const refused = await server.query(registrationMutation(1), { role: 'student', ip });
      const error = assertRateLimited(refused);
      assert.match(error.message, /registerForModule may be called 100 times in a minute/);
      assert.equal(server.calls.registerForModule, 100);
    });

    test('every operation of a batch counts against the registration limit', async (t) => {
      if (skipWithoutRedis(t)) return;
      server.resetCalls();
      const ip = testAddress();
      const batch = Array(5).fill({ query: registrationMutation(20) });
      const accepted = await server.post(batch, { role: 'student', subject: 'batcher', ip });
      assert.equal(accepted.status, 200);
      assert.equal(server.calls.registerForModule, 100);

      assertRateLimited(await server.query(registrationMutation(1), { role: 'student', ip }));
    });

    test('a user past their operation allowance is refused with 429 and a retry delay', async (t) => {
      if (skipWithoutRedis(t)) return;
      const caller = { role: 'student', subject: `user-${testAddress()}` } as const;
      for (let i = 0; i < 8; i += 1) {
        const response = await server.query('{ __typename }', { ...caller, ip: testAddress() });
        assert.equal(response.status, 200);
      }
      const error = assertRateLimited(
        await server.query('{ __typename }', { ...caller, ip: testAddress() }),
      );
      assert.match(error.message, /^You have sent 8 GraphQL operations in a minute/);
    });

    test("a network's anonymous operations are limited; signed-in ones count per user only", async (t) => {
      if (skipWithoutRedis(t)) return;
      const ip = testAddress();
      for (const subject of ['one', 'two']) {
        for (let i = 0; i < 5; i += 1) {
          await server.query('{ __typename }', { role: 'student', subject: subject + ip, ip });
        }
      }
      for (let i = 0; i < 10; i += 1) {
        assert.equal((await server.query('{ __typename }', { ip })).status, 200);
      }
      const error = assertRateLimited(await server.query('{ __typename }', { ip }));
      assert.match(error.message, /^Your network has sent 10 GraphQL operations in a minute/);
    });

    test('two gateway instances on one Redis share the registration count', async (t) => {
      if (backend === 'memory') return t.skip('only a shared store can share counts');
      if (skipWithoutRedis(t)) return;
      const ip = testAddress();
      assert.equal(
        (await server.query(registrationMutation(50), { role: 'student', ip })).status,
        200,
      );
      assert.equal(
        (await twin!.query(registrationMutation(50), { role: 'student', ip })).status,
        200,
      );
      assertRateLimited(await twin!.query(registrationMutation(1), { role: 'student', ip }));
    });

    test('rate-limit keys start with "ratelimit:" and hold no username', async (t) => {
      if (backend === 'memory') return t.skip('memory counters have no keys to inspect');
      if (skipWithoutRedis(t)) return;
      const ip = testAddress();
      await server.limits.login.recordLoginFailure('Alice.Example', ip);
      await server.query('{ __typename }', { role: 'student', subject: 'alice.example', ip });

      const keys = await testRedis!.keys();
      assert.ok(keys.length > 0);
      assert.ok(keys.every((key) => key.startsWith('ratelimit:')));
      assert.doesNotMatch(keys.join(' '), /alice/i);
      const expected = rateLimitKeys(testRedis!.keyPrefix).loginFailuresPerAccount('alice.example');
      assert.ok(keys.includes(expected), `${expected} in ${keys.join(', ')}`);
    });
  });
}
