import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestSystem } from './support/test-system.js';
import type { GraphQLResponse, TestSystem } from './support/test-system.js';

function onlyError(response: GraphQLResponse): {
  code: unknown;
  argument: unknown;
  message: string;
} {
  assert.equal(response.errors?.length, 1, JSON.stringify(response.errors));
  const [error] = response.errors!;
  assert.doesNotMatch(JSON.stringify(error), /stack|at \w+ \(|node_modules/);
  return {
    code: error!.extensions?.['code'],
    argument: error!.extensions?.['argument'],
    message: error!.message,
  };
}

describe('bad input gets a typed error that names the argument', () => {
  let t: TestSystem;
  let staff: string;
  before(async () => {
    t = await startTestSystem();
    staff = await t.signIn({ subject: 'staff1', roles: ['staff'] });
  });
  after(() => t.stop());

  test('an unknown module code is NOT_FOUND and names the code', async () => {
    const error = onlyError(await t.graphql('{ module(code: "ZZZZ9999") { title } }'));
    assert.equal(error.code, 'NOT_FOUND');
    assert.match(error.message, /ZZZZ9999/);
  });

  test('a malformed module code is BAD_USER_INPUT naming "code"', async () => {
    const error = onlyError(
      await t.graphql(`{ module(code: "'; DROP TABLE modules; --") { title } }`),
    );
    assert.deepEqual([error.code, error.argument], ['BAD_USER_INPUT', 'code']);
  });

  test('a malformed registration id is BAD_USER_INPUT naming "id"', async () => {
    const error = onlyError(await t.graphql('{ registration(id: "42") { status } }', {}, staff));
    assert.deepEqual([error.code, error.argument], ['BAD_USER_INPUT', 'id']);
  });

  test('an unknown registration id is NOT_FOUND', async () => {
    const response = await t.graphql(
      '{ registration(id: "0b5e0f7c-1d2a-5c3e-9f40-6a7b8c9d0e1f") { status } }',
      {},
      staff,
    );
    assert.equal(onlyError(response).code, 'NOT_FOUND');
  });

  test('page sizes outside 1 to 100 are BAD_USER_INPUT naming "first"', async () => {
    for (const first of [0, -1, 101, 100000]) {
      const error = onlyError(
        await t.graphql('query ($first: Int) { modules(first: $first) { totalCount } }', { first }),
      );
      assert.deepEqual([error.code, error.argument], ['BAD_USER_INPUT', 'first']);
      assert.match(error.message, /1 to 100/);
    }
  });

  test('a cursor the service did not issue is BAD_USER_INPUT naming "after"', async () => {
    for (const after of ['garbage', Buffer.from('c1:').toString('base64url'), 'x'.repeat(5000)]) {
      const error = onlyError(
        await t.graphql('query ($after: String) { modules(after: $after) { totalCount } }', {
          after,
        }),
      );
      assert.deepEqual([error.code, error.argument], ['BAD_USER_INPUT', 'after']);
    }
  });

  test('an oversized search string is BAD_USER_INPUT naming "filter.search"', async () => {
    const error = onlyError(
      await t.graphql('query ($s: String) { modules(filter: { search: $s }) { totalCount } }', {
        s: 'a'.repeat(101),
      }),
    );
    assert.deepEqual([error.code, error.argument], ['BAD_USER_INPUT', 'filter.search']);
  });

  test('search wildcards and quotes are matched literally, not as SQL', async () => {
    const response = await t.graphql(
      'query ($s: String) { modules(filter: { search: $s }) { totalCount } }',
      {
        s: "%' OR 1=1 --",
      },
    );
    assert.equal(response.errors, undefined);
    assert.equal(response.data!['modules'].totalCount, 0);
  });

  test('a variable of the wrong type is refused before execution with a 400', async () => {
    const response = await t.graphql(
      'query ($first: Int) { modules(first: $first) { totalCount } }',
      { first: 'ten' },
    );
    assert.equal(response.status, 400);
    assert.equal(response.errors?.[0]?.extensions?.['code'], 'BAD_USER_INPUT');
  });

  test('a private query without a session is UNAUTHENTICATED, not a crash', async () => {
    const error = onlyError(await t.graphql('{ myRegistrations { id } }'));
    assert.equal(error.code, 'UNAUTHENTICATED');
  });

  test("a student reading another student's registration is FORBIDDEN", async () => {
    const list = await t.graphql(
      '{ registrations(first: 1) { edges { node { id student { id } } } } }',
      {},
      staff,
    );
    const registration = list.data!['registrations'].edges[0].node;
    const intruder = await t.signIn({
      subject: 's0199',
      roles: ['student'],
      studentId: '0b5e0f7c-1d2a-5c3e-9f40-6a7b8c9d0e1f',
    });
    const response = await t.graphql(
      'query ($id: ID!) { registration(id: $id) { status } }',
      { id: registration.id },
      intruder,
    );
    assert.equal(onlyError(response).code, 'FORBIDDEN');
  });

  test('an invalid access token is refused with 401 UNAUTHENTICATED', async () => {
    const response = await t.graphql('{ modules(first: 1) { totalCount } }', {}, 'not-a-token');
    assert.equal(response.status, 401);
    assert.equal(response.errors?.[0]?.extensions?.['code'], 'UNAUTHENTICATED');
  });
});
