import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildSchema, graphql } from 'graphql';
import type { ExecutionResult } from 'graphql';
import { createError } from '../errors.js';
import { ANONYMOUS } from '../identity.js';
import type { Role, Viewer } from '../identity.js';
import { applyPermissions, rulesFor } from './apply-permissions.js';

// A slice of the supergraph, as one subgraph might serve it: some types and fields of the table
// are missing (Mutation, Student.dateOfBirth), and some are not in the table at all.
const schema = buildSchema(`
  type Query {
    modules: ModuleConnection!
    students: StudentConnection!
    student(id: ID!): Student
    auditLog: [AuditEntry!]!
  }
  type ModuleConnection { totalCount: Int! }
  type StudentConnection { totalCount: Int! }
  type Student { id: ID! name: String! email: String }
  type AuditEntry { note: String! }
`);

const rootValue = {
  modules: () => ({ totalCount: 3 }),
  students: () => ({ totalCount: 200 }),
  student: ({ id }: { id: string }) => {
    if (id === 'missing') {
      throw createError('NOT_FOUND', 'No student has the id missing. Check the "id".');
    }
    return { id, name: 'Ada Lovelace', email: 'ada@example.ac.uk' };
  },
  auditLog: () => [{ note: 'secret' }],
};

function user(roles: Role[]): Viewer {
  return { kind: 'user', subject: 'user-1', roles, sessionId: 'session-1' };
}

async function run(source: string, viewer: Viewer): Promise<ExecutionResult> {
  const result = await graphql({
    schema: applyPermissions(schema),
    source,
    rootValue,
    contextValue: { viewer },
  });
  // graphql-js builds results on null prototypes; plain objects compare more readably.
  return JSON.parse(JSON.stringify(result)) as ExecutionResult;
}

function onlyError(result: ExecutionResult): { code: unknown; message: string } {
  assert.equal(result.errors?.length, 1, JSON.stringify(result.errors));
  const [error] = result.errors!;
  return { code: error!.extensions['code'], message: error!.message };
}

describe('applyPermissions', () => {
  test('only the types and fields the schema has get rules, so shield accepts a partial schema', () => {
    const rules = rulesFor(schema);
    assert.deepEqual(Object.keys(rules).sort(), [
      'ModuleConnection',
      'Query',
      'Student',
      'StudentConnection',
    ]);
    assert.deepEqual(Object.keys(rules['Query']!).sort(), ['modules', 'student', 'students']);
    assert.deepEqual(Object.keys(rules['Student']!).sort(), ['email', 'id', 'name']);
    assert.doesNotThrow(() => applyPermissions(schema));
  });

  test('public fields answer anonymous callers', async () => {
    const result = await run('{ modules { totalCount } }', ANONYMOUS);
    assert.deepEqual(result, { data: { modules: { totalCount: 3 } } });
  });

  test('a role rule refuses an anonymous caller with UNAUTHENTICATED, so the client signs in', async () => {
    const error = onlyError(await run('{ students { totalCount } }', ANONYMOUS));
    assert.equal(error.code, 'UNAUTHENTICATED');
  });

  test('a role rule refuses a signed-in viewer without the role with FORBIDDEN that names only the field', async () => {
    const result = await run('{ students { totalCount } }', user(['student']));
    const error = onlyError(result);
    assert.equal(error.code, 'FORBIDDEN');
    assert.match(error.message, /Query\.students/);
    assert.doesNotMatch(error.message, /shield|roles:|staff|admin|Not Authorised/i);
    assert.equal(result.data, null);
  });

  test("a viewer holding one of the roles gets the resolver's answer", async () => {
    const result = await run('{ students { totalCount } }', user(['student', 'staff']));
    assert.deepEqual(result, { data: { students: { totalCount: 200 } } });
  });

  test('a field with no rule is denied to everyone, admins included', async () => {
    const error = onlyError(await run('{ auditLog { note } }', user(['admin'])));
    assert.equal(error.code, 'FORBIDDEN');
    assert.match(error.message, /Query\.auditLog/);
  });

  test('a nested field is checked on its own: a partner is refused a student even by id', async () => {
    const error = onlyError(await run('{ student(id: "s1") { name } }', user(['partner'])));
    assert.equal(error.code, 'FORBIDDEN');
  });

  test("the resolvers' own typed errors pass through unchanged", async () => {
    const error = onlyError(await run('{ student(id: "missing") { id } }', user(['staff'])));
    assert.deepEqual(error, {
      code: 'NOT_FOUND',
      message: 'No student has the id missing. Check the "id".',
    });
  });

  test('the schema it is given keeps no permissions of its own', async () => {
    const result = await graphql({ schema, source: '{ auditLog { note } }', rootValue });
    assert.deepEqual(JSON.parse(JSON.stringify(result)), {
      data: { auditLog: [{ note: 'secret' }] },
    });
  });
});
