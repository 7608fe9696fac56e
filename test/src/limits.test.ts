import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { connectRedis } from '@registrar/platform';
import { startTestSystem } from './support/test-system.js';
import type { GraphQLResponse, TestSystem } from './support/test-system.js';

// The gateway's clients in these tests all come from loopback.
const CLIENT_IP = '127.0.0.1';
const REGISTER = (count: number) =>
  `mutation { ${Array.from(
    { length: count },
    (_, i) => `r${i}: registerForModule(moduleCode: "HIST1001") { id }`,
  ).join(' ')} }`;

// The keys these tests fill, as the gateway's limits name them (rateLimitKeys in
// gateway/src/limits). They are deleted before and after, so that counts left by other test
// files do not change these tests, and these tests' counts do not change theirs.
const KEYS = [
  `ratelimit:mutation-registerForModule:${CLIENT_IP}`,
  `ratelimit:login-ip:${CLIENT_IP}`,
  ...['s0180', 's0181'].map(
    (username) => `ratelimit:login-account:${createHash('sha256').update(username).digest('hex')}`,
  ),
];

async function clearRateLimitKeys(): Promise<void> {
  const url = process.env['REDIS_URL'];
  if (!url) return; // The embedded default keeps its counters in the gateway's memory.
  const redis = connectRedis(url);
  try {
    await redis.del(...KEYS);
  } finally {
    await redis.quit();
  }
}

// Every attack below starts at `modules` or `module`, so a leak past the gateway runs SQL in the
// Module subgraph. The Registration subgraph is left out: its outbox relay polls on its own.
// Statements that answer GraphQL; the outbox relays and the saga's deadline rounds poll on their
// own (in transactions) and are left out.
function totalQueries(t: TestSystem): number {
  return Object.values(t.queryCounters)
    .flatMap((counter) => counter.statements)
    .filter(
      (sql) => !/\b(outbox|registration_sagas)\b|^(START TRANSACTION|COMMIT|ROLLBACK)/.test(sql),
    ).length;
}

function onlyError(response: GraphQLResponse) {
  assert.equal(response.errors?.length, 1, JSON.stringify(response.errors));
  return response.errors![0]!;
}

/** Sends an attack, and checks that it is refused with 400 before any subgraph ran SQL. */
async function assertRefusedAtGateway(
  t: TestSystem,
  query: string,
  limit: string,
  token?: string,
): Promise<string> {
  const before = totalQueries(t);
  const response = await t.graphql(query, {}, token);
  const error = onlyError(response);
  assert.equal(response.status, 400, JSON.stringify(response.errors));
  assert.deepEqual(
    [error.extensions?.['code'], error.extensions?.['limit']],
    ['BAD_USER_INPUT', limit],
  );
  assert.equal(totalQueries(t), before, 'a refused operation must not reach a subgraph');
  return error.message;
}

async function postJson(t: TestSystem, path: string, body: unknown): Promise<Response> {
  return fetch(`${t.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

const login = (t: TestSystem, username: string, password: string) =>
  postJson(t, '/auth/login', { username, password, client: 'mobile' });

describe('operation limits and rate limits at the gateway', () => {
  let t: TestSystem;
  let student: string;
  let staff: string;

  before(async () => {
    await clearRateLimitKeys();
    t = await startTestSystem();
    student = await t.signIn({ subject: 's0179', roles: ['student'] });
    staff = await t.signIn({ subject: 'staff1', roles: ['staff'] });
  });
  after(async () => {
    await t.stop();
    await clearRateLimitKeys();
  });

  test('a query nested deeper than allowed is refused with 400 before any subgraph runs', async () => {
    const message = await assertRefusedAtGateway(
      t,
      `{ modules(first: 1) { edges { node { registrations { module { registrations {
           module { registrations { module { code } } } } } } } } } }`,
      'depth',
    );
    assert.match(message, /^The query is nested 10 levels deep; the limit is 8\./);
  });

  test('an alias attack is refused with 400 before any subgraph runs', async () => {
    const aliases = Array.from(
      { length: 40 },
      (_, i) => `m${i}: module(code: "HIST1001") { title }`,
    );
    const message = await assertRefusedAtGateway(t, `{ ${aliases.join(' ')} }`, 'aliases');
    assert.match(message, /^The query uses 40 aliases; the limit is 10\./);
  });

  test('a costly nesting of lists is refused with 400 before any subgraph runs', async () => {
    const message = await assertRefusedAtGateway(
      t,
      '{ modules(first: 100) { edges { node { registrations { student { registrations { id } } } } } } }',
      'cost',
    );
    assert.match(message, /^The query's estimated cost is \d+; the limit is 5000\./);
  });

  test('a directive flood is refused with 400 before any subgraph runs', async () => {
    const counts = Array.from({ length: 12 }, () => 'totalCount @skip(if: false)').join(' ');
    await assertRefusedAtGateway(t, `{ modules(first: 1) { ${counts} } }`, 'directives');
  });

  test('a token flood is refused with 400 before any subgraph runs', async () => {
    const counts = Array.from({ length: 1100 }, () => 'totalCount').join(' ');
    await assertRefusedAtGateway(t, `{ modules(first: 1) { ${counts} } }`, 'tokens');
  });

  test('a batch of six operations is refused with 400; a batch of five runs', async () => {
    const before = totalQueries(t);
    const operation = { query: '{ modules(first: 1) { totalCount } }' };
    const refused = await postJson(t, '/graphql', Array(6).fill(operation));
    assert.equal(refused.status, 400);
    const body = (await refused.json()) as { errors: Array<{ extensions: object }> };
    assert.deepEqual(body.errors[0]!.extensions, {
      code: 'BAD_USER_INPUT',
      limit: 'batchSize',
      max: 5,
      actual: 6,
    });
    assert.equal(totalQueries(t), before);

    const accepted = await postJson(t, '/graphql', Array(5).fill(operation));
    assert.equal(accepted.status, 200);
    assert.equal(((await accepted.json()) as unknown[]).length, 5);
  });

  test('introspection is refused for a student with 403 and allowed for staff', async () => {
    const query = '{ __schema { queryType { name } } }';
    const refused = await t.graphql(query, {}, student);
    assert.equal(refused.status, 403);
    assert.equal(onlyError(refused).extensions?.['code'], 'FORBIDDEN');

    const allowed = await t.graphql<{ __schema: { queryType: { name: string } } }>(
      query,
      {},
      staff,
    );
    assert.equal(allowed.status, 200, JSON.stringify(allowed.errors));
    assert.equal(allowed.data?.__schema.queryType.name, 'Query');
  });

  test('field suggestions are hidden from anonymous callers and shown to staff', async () => {
    const typo = '{ modules(first: 1) { edges { node { titel } } } }';
    const hidden = onlyError(await t.graphql(typo));
    assert.equal(hidden.message, 'Cannot query field "titel" on type "Module".');
    const shown = onlyError(await t.graphql(typo, {}, staff));
    assert.match(shown.message, /Did you mean "title"\?/);
  });

  test('the 101st registerForModule in a minute from one network is refused with 429 and Retry-After', async () => {
    // Anonymous callers may use 10 aliases and batch 5 operations: 2 × 5 × 10 = 100 attempts.
    const batch = Array(5).fill({ query: REGISTER(10) });
    for (let request = 0; request < 2; request += 1) {
      const response = await postJson(t, '/graphql', batch);
      assert.notEqual(response.status, 429, `request ${request + 1} was rate limited`);
    }
    const refused = await t.graphql(REGISTER(1));
    assert.equal(refused.status, 429, JSON.stringify(refused.errors));
    const retryAfter = Number(refused.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After is ${retryAfter}`);
    const error = onlyError(refused);
    assert.equal(error.extensions?.['code'], 'RATE_LIMITED');
    assert.match(error.message, /Try again in \d+ seconds?\./);
  });

  test('the sixth sign-in after five failures on one account is refused with 429; others are not', async () => {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      assert.equal((await login(t, 's0180', 'not-the-password')).status, 401);
    }
    const refused = await login(t, 's0180', 'registrar-demo');
    assert.equal(refused.status, 429);
    assert.ok(Number(refused.headers.get('retry-after')) > 60);
    const body = (await refused.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'RATE_LIMITED');
    assert.match(body.error.message, /Try again in \d+ minutes\./);

    assert.equal((await login(t, 's0181', 'not-the-password')).status, 401);
  });
});

describe('limits when Redis cannot be reached', () => {
  let t: TestSystem;

  before(async () => {
    // Nothing listens on port 1: sessions and rate limits both see Redis down.
    t = await startTestSystem({ REDIS_URL: 'redis://127.0.0.1:1' });
  });
  after(() => t.stop());

  test('ordinary queries pass: the general rate limit fails open', async () => {
    const response = await t.graphql('{ modules(first: 1) { totalCount } }');
    assert.equal(response.status, 200, JSON.stringify(response.errors));
    assert.equal(response.errors, undefined);
  });

  test('registration is refused with 503 SERVICE_UNAVAILABLE: its rate limit fails closed', async () => {
    const response = await t.graphql(REGISTER(1));
    assert.equal(response.status, 503, JSON.stringify(response.errors));
    assert.equal(onlyError(response).extensions?.['code'], 'SERVICE_UNAVAILABLE');
  });

  test('sign-in is refused with 503 SERVICE_UNAVAILABLE: its rate limit fails closed', async () => {
    const response = await login(t, 's0182', 'registrar-demo');
    assert.equal(response.status, 503);
    const body = (await response.json()) as { error: { code: string } };
    assert.equal(body.error.code, 'SERVICE_UNAVAILABLE');
  });
});
