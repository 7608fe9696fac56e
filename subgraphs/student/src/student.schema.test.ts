import 'reflect-metadata';
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { ANONYMOUS, createLogger } from '@registrar/platform';
import type { Viewer } from '@registrar/platform';
import { graphql } from 'graphql';
import type { GraphQLSchema } from 'graphql';
import type { StudentDirectory } from './student-directory.js';
import { createStudentContext } from './student.context.js';
import type { StudentEntity } from './student.entity.js';
import { buildStudentSchema } from './student.schema.js';

// These tests run the schema over an in-memory directory: they prove the resolvers' rules and
// the batching of references, not the SQL (the database tests cover that).

const logger = createLogger({ service: 'student-test', level: 'silent' });
const ids = [1, 2, 3, 4].map(
  (n) => `${n}${n}${n}${n}${n}${n}${n}${n}-0000-5000-8000-00000000000${n}`,
);
const rows: StudentEntity[] = ids.map((id, i) => ({
  id,
  studentNumber: `s000${i + 1}`,
  givenName: 'Given',
  familyName: `Family${i + 1}`,
  email: `s000${i + 1}@students.registrar.test`,
  dateOfBirth: '2001-02-03',
  programme: 'BA History',
  yearOfStudy: 1,
  status: 'ACTIVE',
  createdAt: new Date(0),
  updatedAt: new Date(0),
}));

function createFakeDirectory(): StudentDirectory & { idBatches: string[][] } {
  const idBatches: string[][] = [];
  return {
    idBatches,
    async findByIds(wanted) {
      idBatches.push([...wanted]);
      return rows.filter((row) => wanted.includes(row.id));
    },
    async findByNumber(number) {
      return rows.find((row) => row.studentNumber === number);
    },
    async findPage(_search, first) {
      return { rows: rows.slice(0, first), hasNextPage: rows.length > first, totalCount: 4 };
    },
  };
}

const student: Viewer = {
  kind: 'user',
  subject: 's0001',
  roles: ['student'],
  sessionId: 'x',
  studentId: ids[0]!,
};
const staff: Viewer = { kind: 'user', subject: 'staff1', roles: ['staff'], sessionId: 'y' };

let schema: GraphQLSchema;
before(async () => {
  schema = await buildStudentSchema();
});

async function run(viewer: Viewer, source: string, variableValues?: Record<string, unknown>) {
  const directory = createFakeDirectory();
  const contextValue = createStudentContext({ viewer, requestId: 'r', logger }, directory);
  const raw = await graphql({ schema, source, contextValue, variableValues });
  // graphql-js answers with null-prototype objects; compare plain JSON, as a client would.
  const result = JSON.parse(JSON.stringify(raw)) as {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions?: Record<string, unknown> }[];
  };
  return { result, directory };
}

function errorCodes(result: { errors?: readonly { extensions?: Record<string, unknown> }[] }) {
  return (result.errors ?? []).map((error) => error.extensions?.['code']);
}

describe('Student subgraph schema', () => {
  test('three student references in one _entities call cost one lookup', async () => {
    const { result, directory } = await run(
      staff,
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Student { id name } } }`,
      { r: ids.slice(0, 3).map((id) => ({ __typename: 'Student', id })) },
    );
    assert.equal(result.errors, undefined);
    assert.equal((result.data?.['_entities'] as unknown[]).length, 3);
    assert.deepEqual(directory.idBatches, [ids.slice(0, 3)]);
  });

  test('me as an anonymous caller asks the caller to sign in as a student', async () => {
    const { result } = await run(ANONYMOUS, '{ me { id } }');
    assert.deepEqual(errorCodes(result), ['UNAUTHENTICATED']);
    assert.equal(result.errors?.[0]?.message, 'Sign in as a student to see your own record.');
  });

  test('me for a staff member without a student record is null', async () => {
    const { result } = await run(staff, '{ me { id } }');
    assert.equal(result.errors, undefined);
    assert.equal(result.data?.['me'], null);
  });

  test('me for a student is their record with their e-mail', async () => {
    const { result } = await run(student, '{ me { id studentNumber email } }');
    assert.deepEqual(result.data?.['me'], {
      id: ids[0],
      studentNumber: 's0001',
      email: 's0001@students.registrar.test',
    });
  });

  test("a student reading another student's id is forbidden", async () => {
    const { result } = await run(student, `{ student(id: "${ids[1]}") { id } }`);
    assert.deepEqual(errorCodes(result), ['FORBIDDEN']);
  });

  test('a malformed id is refused before any lookup', async () => {
    const { result, directory } = await run(staff, '{ student(id: "42") { id } }');
    assert.deepEqual(errorCodes(result), ['BAD_USER_INPUT']);
    assert.deepEqual(directory.idBatches, []);
  });

  test('an unknown id is NOT_FOUND for staff', async () => {
    const { result } = await run(staff, `{ student(id: "${ids[3]!.replace(/4$/, '9')}") { id } }`);
    assert.deepEqual(errorCodes(result), ['NOT_FOUND']);
  });

  test('the student list is forbidden to students and open to staff', async () => {
    const forbidden = await run(student, '{ students { totalCount } }');
    assert.deepEqual(errorCodes(forbidden.result), ['FORBIDDEN']);
    const allowed = await run(
      staff,
      '{ students(first: 2) { totalCount pageInfo { hasNextPage } } }',
    );
    assert.deepEqual(allowed.result.data?.['students'], {
      totalCount: 4,
      pageInfo: { hasNextPage: true },
    });
  });

  test('a page size of 0 is refused, naming "first"', async () => {
    const { result } = await run(staff, '{ students(first: 0) { totalCount } }');
    assert.deepEqual(errorCodes(result), ['BAD_USER_INPUT']);
    assert.match(result.errors?.[0]?.message ?? '', /"first"/);
  });
});
